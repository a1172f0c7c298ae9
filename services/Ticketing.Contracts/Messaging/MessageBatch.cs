namespace Ticketing.Contracts.Messaging;

/// <summary>
/// Several integration messages of one type in one broker message. A service's outbox relay sends the messages of
/// one page of events that share a type as one batch (a single message goes alone, unwrapped), and a consumer that
/// answers many requests at once answers with one batch. Every message in it is still a fact of its own: consumers
/// handle each one exactly as if it had come alone, and stay idempotent per message.
/// </summary>
public sealed record MessageBatch<T>(IReadOnlyList<T> Messages)
    where T : class;
