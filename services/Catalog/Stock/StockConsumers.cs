using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Orders;
using Ticketing.ServiceDefaults.Messaging;

namespace Ticketing.Catalog.Stock;

// Stock messages are answered by the consumer after its transaction commits. If the process dies between
// commit and publish, the request was not acknowledged, so RabbitMQ delivers it again and the ledger answers
// it from its record: the answer is published at least once and nothing is reserved twice. Every message gets
// its answer, also a copy of one that arrived in the same batch.

/// <summary>
/// Takes stock messages in batches (<see cref="BatchConsumerDefinition{TConsumer}"/>) and answers each. A batch
/// is one transaction, so a failure retries it whole; answers go out after the commit.
/// </summary>
public sealed class ReserveStockConsumer(StockLedger ledger) : IConsumer<Batch<ReserveStock>>
{
    public async Task Consume(ConsumeContext<Batch<ReserveStock>> context)
    {
        var answers = await ledger.ReserveAsync(context.Message.Select(request => request.Message).ToList(), context.CancellationToken);
        await Task.WhenAll(answers.Select(answer => context.Publish(answer, answer.GetType(), context.CancellationToken)));
    }
}

public sealed class SellReservedStockConsumer(StockLedger ledger) : IConsumer<Batch<OrderConfirmed>>
{
    public async Task Consume(ConsumeContext<Batch<OrderConfirmed>> context)
    {
        var answers = (await ledger.SellAsync(context.Message.Select(confirmed => confirmed.Message.OrderId).ToList(), context.CancellationToken))
            .ToDictionary(answer => answer.OrderId);
        await Task.WhenAll(context.Message
            .Select(confirmed => answers.GetValueOrDefault(confirmed.Message.OrderId))
            .OfType<StockCommitted>()
            .Select(answer => context.Publish(answer, context.CancellationToken)));
    }
}

public sealed class ReleaseStockConsumer(StockLedger ledger) : IConsumer<Batch<OrderCancelled>>
{
    public async Task Consume(ConsumeContext<Batch<OrderCancelled>> context)
    {
        var answers = (await ledger.ReleaseAsync(
                context.Message.Select(cancelled => (cancelled.Message.OrderId, cancelled.Message.FanId)).ToList(), context.CancellationToken))
            .ToDictionary(answer => answer.OrderId);
        await Task.WhenAll(context.Message
            .Select(cancelled => answers.GetValueOrDefault(cancelled.Message.OrderId))
            .OfType<StockReleased>()
            .Select(answer => context.Publish(answer, context.CancellationToken)));
    }
}
