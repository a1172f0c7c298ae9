using Marten;
using Microsoft.Extensions.Options;
using Ticketing.ServiceDefaults.Batching;
using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.Orders.Payments;

/// <summary>Section <c>Payments:Simulated</c>.</summary>
public sealed class SimulatedCardOptions
{
    /// <summary>How long each call to the "processor" takes, as a network round trip to a real one would.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(30);
}

/// <summary>
/// A card processor for development and tests, with the well-known test cards: 4242 4242 4242 4242 approves,
/// 4000 0000 0000 0002 declines (any other valid number approves). Its token carries what the simulation needs
/// to know of the card — whether it approves and its last four digits, never the number — so tokenizing writes
/// nothing. Its ledger, one authorization per payment key, is kept in documents of its own, as a real processor
/// keeps its own books: that record is what makes a retried authorization return the first result. Authorizations
/// that arrive together (a checkout group authorizes its payments at once) are written in one transaction
/// (<see cref="GroupCommitQueue{TRequest, TResult}"/>); one that finds its key taken is answered alone with the first
/// result.
/// </summary>
public sealed class SimulatedCardProcessor : IPaymentProcessor, IAsyncDisposable
{
    public const string DeclinedTestCard = "4000000000000002";

    private const string ApprovingTokenPrefix = "tok_sim_ok_";
    private const string DecliningTokenPrefix = "tok_sim_dc_";
    private const int MaxGroup = 128;

    private readonly ISessionFactory sessions;
    private readonly IOptions<SimulatedCardOptions> options;
    private readonly TimeProvider time;
    private readonly GroupCommitQueue<SimulatedAuthorization, bool> authorizations;

    public SimulatedCardProcessor(ISessionFactory sessions, IOptions<SimulatedCardOptions> options, TimeProvider time)
    {
        this.sessions = sessions;
        this.options = options;
        this.time = time;
        authorizations = new("payments.simulated.authorize", InsertAsync, MaxGroup);
    }

    public async Task<string> TokenizeAsync(string cardNumber, CancellationToken cancellationToken)
    {
        await Task.Delay(options.Value.Latency, time, cancellationToken);
        var prefix = cardNumber == DeclinedTestCard ? DecliningTokenPrefix : ApprovingTokenPrefix;
        return $"{prefix}{cardNumber[^4..]}_{Guid.NewGuid():N}";
    }

    public async Task<AuthorizationResult> AuthorizeAsync(Guid paymentKey, string token, decimal amount, string currency, CancellationToken cancellationToken)
    {
        await Task.Delay(options.Value.Latency, time, cancellationToken);
        var result = token.StartsWith(ApprovingTokenPrefix, StringComparison.Ordinal)
            ? new AuthorizationResult(true, $"auth_{Guid.NewGuid():N}", null)
            : new AuthorizationResult(false, null, token.StartsWith(DecliningTokenPrefix, StringComparison.Ordinal) ? "card_declined" : "invalid_token");

        // Written first, read only when a previous attempt for this key got there first: its result stands.
        try
        {
            await authorizations.SubmitAsync(new SimulatedAuthorization(paymentKey, token, amount, currency, result, "authorized", time.GetUtcNow()), cancellationToken);
            return result;
        }
        catch (Exception exception) when (Conflicts.IsConcurrencyConflict(exception))
        {
            await using var again = sessions.OpenSession();
            return (await again.LoadAsync<SimulatedAuthorization>(paymentKey, cancellationToken))!.Result;
        }
    }

    public ValueTask DisposeAsync() => authorizations.DisposeAsync();

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

    /// <summary>Inserts a group's authorizations in one transaction; a taken key fails the group, which is then taken one by one.</summary>
    private async Task<IReadOnlyList<bool>> InsertAsync(IReadOnlyList<SimulatedAuthorization> group, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        session.Insert(group.ToArray());
        await session.SaveChangesAsync(cancellationToken);
        return [.. group.Select(_ => true)];
    }
}

/// <summary>The processor's record of one payment key: what was authorized and what became of it.</summary>
public sealed record SimulatedAuthorization(Guid Id, string Token, decimal Amount, string Currency, AuthorizationResult Result, string State, DateTimeOffset At);
