using Marten;
using Ticketing.ServiceDefaults.Batching;

namespace Ticketing.Orders.Orders;

/// <summary>
/// Writes placed orders in groups: the orders that arrive while one group commits are started together, each with its
/// checkout key, in one transaction. A key already taken (a repeat, or a twin racing it) fails the group, which is then
/// written order by order, so that only the repeat fails, with a conflict its caller answers from the key's order.
/// </summary>
public sealed class OrderPlacements : IAsyncDisposable
{
    private const int MaxGroup = 128;

    private readonly ISessionFactory sessions;
    private readonly Checkout.CheckoutMetrics metrics;
    private readonly GroupCommitQueue<(OrderPlaced Placed, CheckoutKey Key), bool> placements;

    public OrderPlacements(ISessionFactory sessions, Checkout.CheckoutMetrics metrics)
    {
        this.sessions = sessions;
        this.metrics = metrics;
        placements = new("orders.placement", PlaceAsync, MaxGroup);
    }

    /// <summary>Commits the order with its key; throws a concurrency conflict when the key is taken.</summary>
    public Task PlaceAsync(OrderPlaced placed, CheckoutKey key, CancellationToken cancellationToken) =>
        placements.SubmitAsync((placed, key), cancellationToken);

    public ValueTask DisposeAsync() => placements.DisposeAsync();

    private async Task<IReadOnlyList<bool>> PlaceAsync(IReadOnlyList<(OrderPlaced Placed, CheckoutKey Key)> group, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        foreach (var (placed, key) in group)
        {
            session.Events.StartStream<Order>(placed.OrderId, placed);
            session.Insert(key);
        }

        await session.SaveChangesAsync(cancellationToken);
        metrics.Placed(group.Select(item => item.Placed));
        return [.. group.Select(_ => true)];
    }
}
