using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Orders;
using Ticketing.ServiceDefaults.Batching;

namespace Ticketing.Catalog.Stock;

// Stock messages are answered by the consumer after its transaction commits. If the process dies between
// commit and publish, the request was not acknowledged, so RabbitMQ delivers it again and the ledger answers
// it from its record: the answer is published at least once and nothing is reserved twice. Every message gets
// its answer, also a copy of one that was decided in the same group.

/// <summary>
/// The stock ledger's three queues of work. The requests that arrive while a group is being decided are decided
/// together (<see cref="RequestGroups{TRequest, TResult}"/>): the products they name are locked once, each request
/// is decided in turn on the state the previous ones left, and everything commits in one transaction. For a hot
/// product this turns many short lock-holding transactions into few, which is where its time went. A group that
/// fails fails the messages in it, and the bus retries each.
/// </summary>
public sealed class StockDesk : IAsyncDisposable
{
    public const int MaxGroup = 128;

    private readonly RequestGroups<ReserveStock, object> reservations;
    private readonly RequestGroups<Guid, StockCommitted?> sales;
    private readonly RequestGroups<(Guid OrderId, string FanId), StockReleased?> releases;

    public StockDesk(IServiceScopeFactory scopes)
    {
        reservations = new(
            (requests, cancellationToken) => WithLedgerAsync(scopes, ledger => ledger.ReserveAsync(requests, cancellationToken)), MaxGroup);
        sales = new((orderIds, cancellationToken) => WithLedgerAsync(scopes, ledger => ledger.SellAsync(orderIds, cancellationToken)), MaxGroup);
        releases = new((orders, cancellationToken) => WithLedgerAsync(scopes, ledger => ledger.ReleaseAsync(orders, cancellationToken)), MaxGroup);
    }

    /// <summary>The answer to a reservation request: <see cref="StockReserved"/> or <see cref="StockReservationRejected"/>.</summary>
    public Task<object> ReserveAsync(ReserveStock request, CancellationToken cancellationToken) => reservations.SubmitAsync(request, cancellationToken);

    public Task<StockCommitted?> SellAsync(Guid orderId, CancellationToken cancellationToken) => sales.SubmitAsync(orderId, cancellationToken);

    public Task<StockReleased?> ReleaseAsync(Guid orderId, string fanId, CancellationToken cancellationToken) =>
        releases.SubmitAsync((orderId, fanId), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await reservations.DisposeAsync();
        await sales.DisposeAsync();
        await releases.DisposeAsync();
    }

    private static async Task<IReadOnlyList<T>> WithLedgerAsync<T>(IServiceScopeFactory scopes, Func<StockLedger, Task<IReadOnlyList<T>>> work)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<StockLedger>());
    }
}

public sealed class ReserveStockConsumer(StockDesk desk) : IConsumer<ReserveStock>
{
    public async Task Consume(ConsumeContext<ReserveStock> context)
    {
        var answer = await desk.ReserveAsync(context.Message, context.CancellationToken);
        await context.Publish(answer, answer.GetType(), context.CancellationToken);
    }
}

public sealed class SellReservedStockConsumer(StockDesk desk) : IConsumer<OrderConfirmed>
{
    public async Task Consume(ConsumeContext<OrderConfirmed> context)
    {
        if (await desk.SellAsync(context.Message.OrderId, context.CancellationToken) is { } committed)
        {
            await context.Publish(committed, context.CancellationToken);
        }
    }
}

public sealed class ReleaseStockConsumer(StockDesk desk) : IConsumer<OrderCancelled>
{
    public async Task Consume(ConsumeContext<OrderCancelled> context)
    {
        if (await desk.ReleaseAsync(context.Message.OrderId, context.Message.FanId, context.CancellationToken) is { } released)
        {
            await context.Publish(released, context.CancellationToken);
        }
    }
}
