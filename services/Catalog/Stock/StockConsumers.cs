using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Orders;

namespace Ticketing.Catalog.Stock;

// Stock messages are answered by the consumer after its transaction commits. If the process dies between
// commit and publish, the request was not acknowledged, so RabbitMQ delivers it again and the ledger answers
// it from its record: the answer is published at least once and nothing is reserved twice.

/// <summary>
/// Takes reservation requests in batches (whatever arrived together, up to the endpoint's concurrency) and
/// answers each. The batch is one transaction, so a failure retries it whole; answers go out after the commit.
/// </summary>
public sealed class ReserveStockConsumer(StockLedger ledger) : IConsumer<Batch<ReserveStock>>
{
    public async Task Consume(ConsumeContext<Batch<ReserveStock>> context)
    {
        var answers = await ledger.ReserveAsync(context.Message.Select(request => request.Message).ToList(), context.CancellationToken);
        await Task.WhenAll(answers.Select(answer => context.Publish(answer, answer.GetType(), context.CancellationToken)));
    }
}

public sealed class ReserveStockConsumerDefinition : ConsumerDefinition<ReserveStockConsumer>
{
    /// <summary>Requests per batch: at most the endpoint's concurrent message limit, which is what a batch can gather.</summary>
    public const int BatchSize = 32;

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ReserveStockConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.ConcurrentMessageLimit = BatchSize;
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = BatchSize * 2;
        }

        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(5))
            .SetConcurrencyLimit(1));
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
