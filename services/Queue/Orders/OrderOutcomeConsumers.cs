using Marten;
using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Orders;
using Ticketing.Contracts.Tickets;
using Ticketing.Queue.Drops;

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
public sealed class OrderInDropConsumer(IDocumentSession session, DropStates drops) : IConsumer<HoldConfirmed>, IConsumer<StockReserved>
{
    public Task Consume(ConsumeContext<HoldConfirmed> context) =>
        RecordAsync(context.Message.OrderId, context.Message.FanId, [context.Message.ConcertId], context.CancellationToken);

    public Task Consume(ConsumeContext<StockReserved> context) =>
        RecordAsync(context.Message.OrderId, context.Message.FanId, context.Message.Lines.Select(line => line.ProductId).Distinct().ToList(), context.CancellationToken);

    private async Task RecordAsync(Guid orderId, string fanId, IReadOnlyList<Guid> dropIds, CancellationToken cancellationToken)
    {
        var inDrops = dropIds.Where(dropId => drops.Find(dropId) is { } drop && drop.HasOpenAdmission(fanId)).ToList();
        if (inDrops.Count == 0)
        {
            return;
        }

        foreach (var dropId in inDrops)
        {
            session.Store(new OrderInDrop(OrderInDrop.IdFor(orderId, dropId), orderId, dropId, fanId));
        }

        await session.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>
/// An admitted fan is finished when their order in the drop is confirmed or cancelled (a refund later changes nothing):
/// they stop counting against <c>maxActive</c>, and their pass counts as used.
/// </summary>
public sealed class OrderOutcomeConsumer(IQuerySession session, DropStates drops, DropStreamWriter writer)
    : IConsumer<OrderConfirmed>, IConsumer<OrderCancelled>
{
    public Task Consume(ConsumeContext<OrderConfirmed> context) =>
        FinishAsync(context.Message.OrderId, context.Message.FanId, FinishOutcomes.OrderConfirmed, context.Message.ConfirmedAt, context.CancellationToken);

    public Task Consume(ConsumeContext<OrderCancelled> context) =>
        context.Message.WasConfirmed
            ? Task.CompletedTask
            : FinishAsync(context.Message.OrderId, context.Message.FanId, FinishOutcomes.OrderCancelled, context.Message.CancelledAt, context.CancellationToken);

    private async Task FinishAsync(Guid orderId, string fanId, string outcome, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var links = await session.Query<OrderInDrop>().Where(link => link.OrderId == orderId).ToListAsync(cancellationToken);
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
    }
}
