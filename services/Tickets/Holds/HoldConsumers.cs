using MassTransit;
using Ticketing.Contracts.Orders;
using Ticketing.Contracts.Tickets;

namespace Ticketing.Tickets.Holds;

// Orders drives checkout through these. Each is idempotent: the hold's state says what was already done.

/// <summary>Answers checkout after the hold's state is committed; a redelivery gets the same answer.</summary>
public sealed class ConfirmHoldConsumer(SeatBook book) : IConsumer<ConfirmHold>
{
    public async Task Consume(ConsumeContext<ConfirmHold> context)
    {
        var answer = await book.CheckOutAsync(context.Message, context.CancellationToken);
        await context.Publish(answer, answer.GetType(), context.CancellationToken);
    }
}

public sealed class SellHoldConsumer(SeatBook book) : IConsumer<OrderConfirmed>
{
    public Task Consume(ConsumeContext<OrderConfirmed> context) =>
        context.Message.HoldId is { } holdId
            ? book.SellAsync(holdId, context.Message.OrderId, context.CancellationToken)
            : Task.CompletedTask;
}

public sealed class ReleaseHoldConsumer(SeatBook book) : IConsumer<OrderCancelled>
{
    public Task Consume(ConsumeContext<OrderCancelled> context) =>
        context.Message.HoldId is { } holdId
            ? book.CancelAsync(holdId, context.Message.OrderId, context.Message.FanId, context.Message.Reason, context.CancellationToken)
            : Task.CompletedTask;
}
