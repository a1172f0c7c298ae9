using Marten;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Orders;
using Ticketing.Contracts.Tickets;
using Ticketing.Queue.Drops;
using Ticketing.ServiceDefaults.Messaging;

namespace Ticketing.Queue.Orders;

/// <summary>An order that bought in a drop: one document per order and drop (so two consumers never write the same one).</summary>
public sealed record OrderInDrop(string Id, Guid OrderId, Guid DropId, string FanId)
{
    public static string IdFor(Guid orderId, Guid dropId) => $"{orderId:N}:{dropId:N}";
}

/// <summary>
/// Learns which orders buy in a drop, from the messages that name both: Tickets' HoldConfirmed (an order checking out
/// a hold of a concert) and the Catalog's StockReserved (an order's merch lines). Only drops with a waiting room and
/// fans admitted there are kept.
/// </summary>
public sealed class OrdersInDrops(ISessionFactory sessions, DropStates drops)
{
    public async Task<IReadOnlyList<object>> RecordAsync(Guid orderId, string fanId, IReadOnlyList<Guid> dropIds, CancellationToken cancellationToken)
    {
        var inDrops = dropIds.Where(dropId => drops.Find(dropId) is { } drop && drop.HasOpenAdmission(fanId)).ToList();
        if (inDrops.Count == 0)
        {
            return [];
        }

        await using var session = sessions.OpenSession();
        foreach (var dropId in inDrops)
        {
            session.Store(new OrderInDrop(OrderInDrop.IdFor(orderId, dropId), orderId, dropId, fanId));
        }

        await session.SaveChangesAsync(cancellationToken);
        return [];
    }

    /// <summary>No order's drops: what a delivery without an order of a drop looks up.</summary>
    public static readonly ILookup<Guid, OrderInDrop> NoLinks = Array.Empty<OrderInDrop>().ToLookup(link => link.OrderId);

    /// <summary>
    /// The drops each of these orders bought in, in one query: every order's outcome reaches the Queue (most of them
    /// merch or concert orders of no waiting room), and a query per outcome was a transaction per order on drop day.
    /// </summary>
    public async Task<ILookup<Guid, OrderInDrop>> LinksAsync(IReadOnlyList<Guid> orderIds, CancellationToken cancellationToken)
    {
        var ids = orderIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return NoLinks;
        }

        await using var session = sessions.QuerySession();
        var links = await session.Query<OrderInDrop>().Where(link => link.OrderId.IsOneOf(ids)).ToListAsync(cancellationToken);
        return links.ToLookup(link => link.OrderId);
    }

    /// <summary>
    /// An admitted fan is finished when their order in the drop is confirmed or cancelled (a refund later changes
    /// nothing): they stop counting against <c>maxActive</c>, and their pass counts as used.
    /// </summary>
    public async Task<IReadOnlyList<object>> FinishAsync(
        DropStreamWriter writer, IEnumerable<OrderInDrop> links, Guid orderId, string fanId, string outcome, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        foreach (var link in links)
        {
            if (drops.Find(link.DropId) is not { } drop)
            {
                continue;
            }

            await writer.AppendDecidedAsync(link.DropId, async token =>
            {
                await drops.CatchUpAsync(link.DropId, token);
                return drop.HasOpenAdmission(fanId)
                    ? [new EntriesFinished(link.DropId, [new FinishedEntry(fanId, orderId, outcome)], at)]
                    : [];
            }, cancellationToken);
            await drops.CatchUpAsync(link.DropId, cancellationToken);
        }

        return [];
    }
}

public sealed class HoldInDropConsumer(OrdersInDrops orders, ILogger<HoldInDropConsumer> logger) : BatchConsumer<HoldConfirmed>(logger)
{
    protected override Task<IReadOnlyList<object>> HandleAsync(HoldConfirmed confirmed, CancellationToken cancellationToken) =>
        orders.RecordAsync(confirmed.OrderId, confirmed.FanId, [confirmed.ConcertId], cancellationToken);
}

public sealed class StockInDropConsumer(OrdersInDrops orders, ILogger<StockInDropConsumer> logger) : BatchConsumer<StockReserved>(logger)
{
    protected override Task<IReadOnlyList<object>> HandleAsync(StockReserved reserved, CancellationToken cancellationToken) =>
        orders.RecordAsync(reserved.OrderId, reserved.FanId, reserved.Lines.Select(line => line.ProductId).Distinct().ToList(), cancellationToken);
}

public sealed class OrderConfirmedInDropConsumer(OrdersInDrops orders, DropStreamWriter writer, ILogger<OrderConfirmedInDropConsumer> logger)
    : BatchConsumer<OrderConfirmed>(logger)
{
    private ILookup<Guid, OrderInDrop> links = OrdersInDrops.NoLinks;

    protected override async Task PrepareAsync(IReadOnlyList<OrderConfirmed> messages, CancellationToken cancellationToken) =>
        links = await orders.LinksAsync([.. messages.Select(confirmed => confirmed.OrderId)], cancellationToken);

    protected override Task<IReadOnlyList<object>> HandleAsync(OrderConfirmed confirmed, CancellationToken cancellationToken) =>
        orders.FinishAsync(writer, links[confirmed.OrderId], confirmed.OrderId, confirmed.FanId, FinishOutcomes.OrderConfirmed, confirmed.ConfirmedAt, cancellationToken);
}

public sealed class OrderCancelledInDropConsumer(OrdersInDrops orders, DropStreamWriter writer, ILogger<OrderCancelledInDropConsumer> logger)
    : BatchConsumer<OrderCancelled>(logger)
{
    private ILookup<Guid, OrderInDrop> links = OrdersInDrops.NoLinks;

    protected override async Task PrepareAsync(IReadOnlyList<OrderCancelled> messages, CancellationToken cancellationToken) =>
        links = await orders.LinksAsync([.. messages.Where(cancelled => !cancelled.WasConfirmed).Select(cancelled => cancelled.OrderId)], cancellationToken);

    protected override async Task<IReadOnlyList<object>> HandleAsync(OrderCancelled cancelled, CancellationToken cancellationToken) =>
        cancelled.WasConfirmed
            ? []
            : await orders.FinishAsync(writer, links[cancelled.OrderId], cancelled.OrderId, cancelled.FanId, FinishOutcomes.OrderCancelled, cancelled.CancelledAt, cancellationToken);
}
