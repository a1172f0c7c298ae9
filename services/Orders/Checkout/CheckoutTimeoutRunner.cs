using Marten;
using Microsoft.Extensions.Options;
using Ticketing.Orders.Orders;
using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.Orders.Checkout;

/// <summary>Section <c>Orders:Checkout</c>.</summary>
public sealed class CheckoutOptions
{
    /// <summary>
    /// How long a checkout may wait for Tickets, the Catalog and the payment before it is cancelled: three
    /// minutes, long enough for a drop's backlog in the Catalog's reservation queue, which can exceed a minute.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(3);

    public TimeSpan TimeoutScanInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The saga's durable time-out: each order's deadline is data, and one instance at a time cancels the
/// Pending orders past it with reason <c>timeout</c>. A restart loses nothing: the deadlines are still there.
/// </summary>
public sealed class CheckoutTimeoutRunner(
    IConfiguration configuration,
    IDocumentStore store,
    CheckoutProcess checkout,
    IOptions<CheckoutOptions> options,
    TimeProvider time,
    ILogger<CheckoutTimeoutRunner> logger) : SingleInstanceWorker(configuration, time, logger)
{
    protected override long LockKey => 0x6F72643A74696D65; // "ord:time"

    protected override TimeSpan Interval => options.Value.TimeoutScanInterval;

    /// <summary>The condition of the pending orders' partial index on <c>deadline</c> (Extensions), as SQL.</summary>
    public const string PendingCondition = $"status = '{nameof(OrderStatus.Pending)}'";

    protected override async Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // In SQL with the index's condition written out (DocumentColumns.TableOf).
        await using var session = store.QuerySession();
        return await session.AdvancedSql.QueryAsync<Guid>(
            $"select id from {store.TableOf<Order>()} where {PendingCondition} and deadline <= ? order by deadline limit 200",
            cancellationToken,
            now);
    }

    protected override Task FireAsync(Guid id, CancellationToken cancellationToken) =>
        checkout.AdvanceAsync(new CheckoutStep(id, CheckoutRules.TimeOut), cancellationToken);
}
