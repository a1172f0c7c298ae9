using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Orders;

namespace Ticketing.Catalog.Stock;

// Stock messages are answered by the consumer after its transaction commits. If the process dies between
// commit and publish, the request was not acknowledged, so RabbitMQ delivers it again and the ledger answers
// it from its record: the answer is published at least once and nothing is reserved twice.

public sealed class ReserveStockConsumer(StockLedger ledger) : IConsumer<ReserveStock>
{
    public async Task Consume(ConsumeContext<ReserveStock> context)
    {
        var answer = await ledger.ReserveAsync(context.Message, context.CancellationToken);
        await context.Publish(answer, answer.GetType(), context.CancellationToken);
    }
}

public sealed class SellReservedStockConsumer(StockLedger ledger) : IConsumer<OrderConfirmed>
{
    public async Task Consume(ConsumeContext<OrderConfirmed> context)
    {
        if (await ledger.SellAsync(context.Message.OrderId, context.CancellationToken) is { } committed)
        {
            await context.Publish(committed, context.CancellationToken);
        }
    }
}

public sealed class ReleaseStockConsumer(StockLedger ledger) : IConsumer<OrderCancelled>
{
    public async Task Consume(ConsumeContext<OrderCancelled> context)
    {
        if (await ledger.ReleaseAsync(context.Message.OrderId, context.Message.FanId, context.CancellationToken) is { } released)
        {
            await context.Publish(released, context.CancellationToken);
        }
    }
}
