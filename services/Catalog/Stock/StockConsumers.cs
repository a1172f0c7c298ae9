using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Orders;
using Ticketing.ServiceDefaults.Batching;
using Ticketing.ServiceDefaults.Messaging;

namespace Ticketing.Catalog.Stock;

// Stock messages are answered by the consumer after its transaction commits. If the process dies between
// commit and publish, the request was not acknowledged, so RabbitMQ delivers it again and the ledger answers
// it from its record: the answer is published at least once and nothing is reserved twice. Every message gets
// its answer, also a copy of one that was decided in the same group.

/// <summary>
/// The stock ledger's three queues of work. The requests that arrive while a group is being decided are decided
/// together (<see cref="GroupCommitQueue{TRequest, TResult}"/>): the products they name are locked once, each request
/// is decided in turn on the state the previous ones left, and everything commits in one transaction. For a hot
/// product this turns many short lock-holding transactions into few. A group that fails is taken again request by
/// request, so one bad request fails alone.
/// </summary>
public sealed class StockWrites : IAsyncDisposable
{
    public const int MaxGroup = 128;

    private readonly GroupCommitQueue<ReserveStock, object> reservations;
    private readonly GroupCommitQueue<Guid, StockCommitted?> sales;
    private readonly GroupCommitQueue<StockGiveBack, IReadOnlyList<object>> releases;

    public StockWrites(IServiceScopeFactory scopes)
    {
        reservations = new("catalog.stock.reserve",
            (requests, cancellationToken) => WithLedgerAsync(scopes, ledger => ledger.ReserveAsync(requests, cancellationToken)), MaxGroup);
        sales = new("catalog.stock.sell",
            (orderIds, cancellationToken) => WithLedgerAsync(scopes, ledger => ledger.SellAsync(orderIds, cancellationToken)), MaxGroup);
        releases = new("catalog.stock.release",
            (orders, cancellationToken) => WithLedgerAsync(scopes, ledger => ledger.ReleaseAsync(orders, cancellationToken)), MaxGroup);
    }

    /// <summary>The answer to a reservation request: <see cref="StockReserved"/> or <see cref="StockReservationRejected"/>.</summary>
    public Task<object> ReserveAsync(ReserveStock request, CancellationToken cancellationToken) => reservations.SubmitAsync(request, cancellationToken);

    public Task<StockCommitted?> SellAsync(Guid orderId, CancellationToken cancellationToken) => sales.SubmitAsync(orderId, cancellationToken);

    /// <summary>The messages that answer the order's cancellation or refund (none when it had nothing reserved).</summary>
    public Task<IReadOnlyList<object>> ReleaseAsync(OrderCancelled cancelled, CancellationToken cancellationToken) =>
        releases.SubmitAsync(new StockGiveBack(cancelled.OrderId, cancelled.FanId, cancelled.WasConfirmed), cancellationToken);

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

public sealed class ReserveStockConsumer(StockWrites writes, ILogger<ReserveStockConsumer> logger) : BatchConsumer<ReserveStock>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(ReserveStock message, CancellationToken cancellationToken) =>
        [await writes.ReserveAsync(message, cancellationToken)];
}

public sealed class SellReservedStockConsumer(StockWrites writes, ILogger<SellReservedStockConsumer> logger) : BatchConsumer<OrderConfirmed>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(OrderConfirmed message, CancellationToken cancellationToken) =>
        await writes.SellAsync(message.OrderId, cancellationToken) is { } committed ? [committed] : [];
}

public sealed class ReleaseStockConsumer(StockWrites writes, ILogger<ReleaseStockConsumer> logger) : BatchConsumer<OrderCancelled>(logger)
{
    protected override Task<IReadOnlyList<object>> HandleAsync(OrderCancelled message, CancellationToken cancellationToken) =>
        writes.ReleaseAsync(message, cancellationToken);
}
