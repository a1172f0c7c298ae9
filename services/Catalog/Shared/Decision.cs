namespace Ticketing.Catalog.Shared;

/// <summary>The outcome of a decision: an event to append, nothing to do, or a conflict to answer with 409.</summary>
public readonly record struct Decision<TEvent>(TEvent? Event, string? ConflictDetail) where TEvent : class
{
    public static Decision<TEvent> NoChange => default;

    public static Decision<TEvent> Conflict(string detail) => new(null, detail);

    public static implicit operator Decision<TEvent>(TEvent @event) => new(@event, null);
}
