using Marten;
using Microsoft.Extensions.Options;

namespace Ticketing.Orders.Payments;

/// <summary>Section <c>Payments:Simulated</c>.</summary>
public sealed class SimulatedCardOptions
{
    /// <summary>How long each call to the "processor" takes, as a network round trip to a real one would.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(30);
}

/// <summary>
/// A card processor for development and tests, with the well-known test cards: 4242 4242 4242 4242 approves,
/// 4000 0000 0000 0002 declines (any other valid number approves). Its ledger — tokens and one authorization
/// per payment key — is kept in documents of its own, as a real processor keeps its own books; it stores
/// whether a card approves and its last four digits, never the number.
/// </summary>
public sealed class SimulatedCardProcessor(ISessionFactory sessions, IOptions<SimulatedCardOptions> options, TimeProvider time) : IPaymentProcessor
{
    public const string DeclinedTestCard = "4000000000000002";

    public async Task<string> TokenizeAsync(string cardNumber, CancellationToken cancellationToken)
    {
        await Task.Delay(options.Value.Latency, time, cancellationToken);
        var card = new SimulatedCard($"tok_sim_{Guid.NewGuid():N}", cardNumber[^4..], cardNumber != DeclinedTestCard);
        await using var session = sessions.OpenSession();
        session.Store(card);
        await session.SaveChangesAsync(cancellationToken);
        return card.Id;
    }

    public async Task<AuthorizationResult> AuthorizeAsync(Guid paymentKey, string token, decimal amount, string currency, CancellationToken cancellationToken)
    {
        await Task.Delay(options.Value.Latency, time, cancellationToken);
        await using var session = sessions.OpenSession();
        if (await session.LoadAsync<SimulatedAuthorization>(paymentKey, cancellationToken) is { } existing)
        {
            return existing.Result;
        }

        var card = await session.LoadAsync<SimulatedCard>(token, cancellationToken);
        var result = card is { Approves: true }
            ? new AuthorizationResult(true, $"auth_{Guid.NewGuid():N}", null)
            : new AuthorizationResult(false, null, card is null ? "invalid_token" : "card_declined");
        try
        {
            session.Insert(new SimulatedAuthorization(paymentKey, token, amount, currency, result, "authorized", time.GetUtcNow()));
            await session.SaveChangesAsync(cancellationToken);
            return result;
        }
        catch (Exception exception) when (Ticketing.ServiceDefaults.Persistence.Conflicts.IsConcurrencyConflict(exception))
        {
            await using var again = sessions.OpenSession(); // a concurrent retry authorized first: its result stands
            return (await again.LoadAsync<SimulatedAuthorization>(paymentKey, cancellationToken))!.Result;
        }
    }

    public Task VoidAsync(Guid paymentKey, CancellationToken cancellationToken) => SettleAsync(paymentKey, "voided", cancellationToken);

    public Task RefundAsync(Guid paymentKey, CancellationToken cancellationToken) => SettleAsync(paymentKey, "refunded", cancellationToken);

    private async Task SettleAsync(Guid paymentKey, string state, CancellationToken cancellationToken)
    {
        await Task.Delay(options.Value.Latency, time, cancellationToken);
        await using var session = sessions.OpenSession();
        if (await session.LoadAsync<SimulatedAuthorization>(paymentKey, cancellationToken) is { Result.Approved: true } authorization
            && authorization.State == "authorized")
        {
            session.Store(authorization with { State = state });
            await session.SaveChangesAsync(cancellationToken);
        }
    }
}

public sealed record SimulatedCard(string Id, string Last4, bool Approves);

/// <summary>The processor's record of one payment key: what was authorized and what became of it.</summary>
public sealed record SimulatedAuthorization(Guid Id, string Token, decimal Amount, string Currency, AuthorizationResult Result, string State, DateTimeOffset At);
