using Marten;
using Ticketing.Orders.Orders;
using Ticketing.Orders.Payments;
using Ticketing.ServiceDefaults.Batching;

namespace Ticketing.Orders.Checkout;

/// <summary>Something that happened to an order, decided on its current state by one of the <see cref="CheckoutRules"/>.</summary>
public sealed record CheckoutStep(Guid OrderId, Func<Order, DateTimeOffset, IReadOnlyList<object>> Decide);

/// <summary>
/// The checkout process manager. The order's stream is its state: each step (an answer from Tickets or the Catalog,
/// a time-out, an operator's cancel) is decided by <see cref="CheckoutRules"/> and appended at the version the order
/// was read at, so two steps racing for one order cannot both act. When everything the order needs is held for it,
/// the payment is authorized (idempotently per order, so a retry never charges twice) and the order confirmed or
/// cancelled in the same transaction. Steps are committed in groups (<see cref="GroupCommitQueue{TRequest, TResult}"/>):
/// their orders read in one round trip, their payments authorized concurrently, everything appended in one
/// transaction; a group that loses a race is taken again step by step on fresh state.
/// <para>
/// Money never stays on a cancelled order: after a commit that failed, every authorization the attempt made for an
/// order that has since been cancelled (a time-out or an operator raced it) is voided; and a cancellation that may
/// follow an authorization (time-out, operator) voids the order's payment after it commits.
/// </para>
/// </summary>
public sealed partial class CheckoutProcess : IAsyncDisposable
{
    /// <summary>The most steps decided in one transaction.</summary>
    public const int MaxGroup = 128;

    private readonly ISessionFactory sessions;
    private readonly IPaymentProcessor payments;
    private readonly TimeProvider time;
    private readonly ILogger<CheckoutProcess> logger;
    private readonly GroupCommitQueue<CheckoutStep, Order?> steps;

    public CheckoutProcess(ISessionFactory sessions, IPaymentProcessor payments, TimeProvider time, ILogger<CheckoutProcess> logger)
    {
        this.sessions = sessions;
        this.payments = payments;
        this.time = time;
        this.logger = logger;
        steps = new GroupCommitQueue<CheckoutStep, Order?>("orders.checkout", AdvanceAsync, MaxGroup);
    }

    /// <summary>Decides the step with the others waiting; returns the order once committed (null for an unknown order).</summary>
    public Task<Order?> AdvanceAsync(CheckoutStep step, CancellationToken cancellationToken) => steps.SubmitAsync(step, cancellationToken);

    public ValueTask DisposeAsync() => steps.DisposeAsync();

    private async Task<IReadOnlyList<Order?>> AdvanceAsync(IReadOnlyList<CheckoutStep> group, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        var streams = (await session.Events.FetchManyForWriting<Order>(group.Select(step => step.OrderId).Distinct().ToList(), cancellationToken))
            .ToDictionary(stream => stream.Id);
        var now = time.GetUtcNow();
        var orders = streams.Values.Where(stream => stream.Aggregate is not null).ToDictionary(stream => stream.Id, stream => stream.Aggregate!);
        var appended = new Dictionary<Guid, List<object>>();
        foreach (var step in group.Where(step => orders.ContainsKey(step.OrderId)))
        {
            Decided(step.OrderId, step.Decide(orders[step.OrderId], now));
        }

        var due = orders.Values.Select(order => CheckoutRules.PaymentDue(order, now)).OfType<PaymentDue>().ToList();
        due.Where(payment => payment.Authorize is null).ToList().ForEach(payment => Decided(payment.Order.Id, payment.Events));
        var authorizing = due.Where(payment => payment.Authorize is not null).ToList();
        var results = await Task.WhenAll(authorizing.Select(payment =>
            payments.AuthorizeAsync(payment.Authorize!.PaymentKey, payment.Authorize.Token, payment.Authorize.Amount, payment.Authorize.Currency, cancellationToken)));
        for (var i = 0; i < authorizing.Count; i++)
        {
            var order = orders[authorizing[i].Order.Id];
            Decided(order.Id, CheckoutRules.Paid(order, results[i], now));
        }

        var refunds = appended.Where(change => change.Value.OfType<PaymentRefunded>().Any()).Select(change => change.Key).ToList();
        await Task.WhenAll(refunds.Select(orderId => payments.RefundAsync(orderId, cancellationToken)));
        foreach (var (orderId, events) in appended)
        {
            streams[orderId].AppendMany(events);
        }

        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (authorizing.Count > 0)
        {
            LogCommitFailed(logger, exception, authorizing.Count);
            await VoidWhereCancelledAsync(authorizing.Select(payment => payment.Order.Id).ToList(), cancellationToken);
            throw;
        }

        // A time-out, an operator or a called-off concert may have ended an order that an earlier attempt authorized and failed to save.
        await Task.WhenAll(appended
            .Where(change => change.Value.OfType<OrderCancelled>().Any(cancelled =>
                cancelled.Reason is CancellationReasons.Timeout or CancellationReasons.CancelledByOperator or CancellationReasons.ConcertCancelled))
            .Select(change => payments.VoidAsync(change.Key, cancellationToken)));
        return group.Select(step => orders.GetValueOrDefault(step.OrderId)).ToList();

        void Decided(Guid orderId, IReadOnlyList<object> events)
        {
            if (events.Count == 0)
            {
                return;
            }

            orders[orderId] = events.Aggregate(orders[orderId], (state, @event) => state.Apply(@event));
            if (!appended.TryGetValue(orderId, out var list))
            {
                appended[orderId] = list = [];
            }

            list.AddRange(events);
        }
    }

    /// <summary>Voids the payments of the orders that are cancelled now; those still Pending keep theirs for the retry.</summary>
    private async Task VoidWhereCancelledAsync(IReadOnlyList<Guid> orderIds, CancellationToken cancellationToken)
    {
        await using var session = sessions.QuerySession();
        var cancelled = (await session.LoadManyAsync<Order>(cancellationToken, orderIds))
            .Where(order => order.Status == OrderStatus.Cancelled)
            .Select(order => order.Id)
            .ToList();
        await Task.WhenAll(cancelled.Select(orderId => payments.VoidAsync(orderId, cancellationToken)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A checkout group with {Authorized} payments authorized failed to commit; voiding those whose order ended meanwhile")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int authorized);
}
