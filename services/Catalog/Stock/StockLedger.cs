using Marten;
using JasperFx.Events;
using Ticketing.Catalog.Products;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Catalog.Stock;

/// <summary>
/// Reserves, sells and releases merch stock for orders. Every product touched is locked for the transaction
/// (<c>FetchForExclusiveWriting</c>, in product-id order so two orders never deadlock), so the check
/// "enough available, under the fan's limit" and the append that uses it up cannot interleave with another
/// order's: reserved + sold never exceeds stock. Each method returns the message that answers the request;
/// replayed requests return the same answer without changing anything.
/// </summary>
public sealed class StockLedger(IDocumentSession session, TimeProvider time)
{
    /// <summary>
    /// Answers a batch of reservation requests in one transaction: the products they name are locked once, each
    /// request is decided in turn on the state the previous ones left, and everything commits together. For a
    /// hot product this turns many short lock-holding transactions into few, which is where its time went.
    /// A request seen before (also twice in one batch) is answered from its record and changes nothing.
    /// </summary>
    public async Task<IReadOnlyList<object>> ReserveAsync(IReadOnlyList<ReserveStock> requests, CancellationToken cancellationToken)
    {
        var records = (await session.LoadManyAsync<StockReservation>(cancellationToken, requests.Select(request => request.OrderId).Distinct().ToArray()))
            .ToDictionary(record => record.Id);
        var fresh = requests.Where(request => !records.ContainsKey(request.OrderId)).DistinctBy(request => request.OrderId).ToList();
        if (fresh.Count > 0)
        {
            var now = time.GetUtcNow();
            var streams = await LockAsync(fresh.SelectMany(request => request.Lines).Select(line => line.ProductId), cancellationToken);
            var products = streams.ToDictionary(stream => stream.Key, stream => stream.Value.Aggregate);
            var countIds = fresh.SelectMany(request => request.Lines.Select(line => FanProductCount.IdFor(line.ProductId, request.FanId))).Distinct().ToArray();
            var counts = (await session.LoadManyAsync<FanProductCount>(cancellationToken, countIds)).ToDictionary(count => count.Id, count => count.Quantity);
            var changedCounts = new HashSet<string>();

            foreach (var request in fresh)
            {
                var (reservation, reservedEvents) = StockDecisions.Reserve(request, products, counts, now);
                foreach (var reserved in reservedEvents)
                {
                    streams[reserved.ProductId].AppendOne(reserved);
                    products[reserved.ProductId] = products[reserved.ProductId]!.Apply(reserved);
                    var countId = FanProductCount.IdFor(reserved.ProductId, reserved.FanId);
                    counts[countId] = counts.GetValueOrDefault(countId) + reserved.Quantity;
                    changedCounts.Add(countId);
                }

                // Insert, not store: a concurrent duplicate of a request fails the batch here; the retry answers it from the record.
                session.Insert(reservation);
                records[reservation.Id] = reservation;
            }

            session.Store(changedCounts.Select(id => new FanProductCount(id, counts[id])).ToArray());
            await session.SaveChangesAsync(cancellationToken);
        }

        return requests.Select(request => AnswerTo(records[request.OrderId])).ToList();
    }

    /// <summary>The order was confirmed: its reserved units become sold.</summary>
    public async Task<StockCommitted?> SellAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var (reservation, streams) = await LockReservationAsync(orderId, cancellationToken);
        switch (reservation?.Status)
        {
            case StockReservationStatus.Sold:
                return new StockCommitted(orderId, reservation.StockLines, reservation.UpdatedAt);
            case StockReservationStatus.Reserved:
                break;
            default:
                return null; // no merch in this order, or nothing left to sell
        }

        var now = time.GetUtcNow();
        foreach (var line in reservation.Lines)
        {
            streams[line.ProductId].AppendOne(new ReservedUnitsSold(line.ProductId, orderId, line.Quantity, now));
        }

        session.Update(reservation with { Status = StockReservationStatus.Sold, UpdatedAt = now });
        await session.SaveChangesAsync(cancellationToken);
        return new StockCommitted(orderId, reservation.StockLines, now);
    }

    /// <summary>
    /// The order was cancelled (or a confirmed one refunded): its units go back on sale and stop counting
    /// against the fan's limit. A cancellation that overtakes its reservation request voids the order here.
    /// </summary>
    public async Task<StockReleased?> ReleaseAsync(Guid orderId, string fanId, CancellationToken cancellationToken)
    {
        var (reservation, streams) = await LockReservationAsync(orderId, cancellationToken);
        var now = time.GetUtcNow();
        switch (reservation?.Status)
        {
            case null:
                session.Insert(new StockReservation
                {
                    Id = orderId, FanId = fanId, Status = StockReservationStatus.Voided, CreatedAt = now, UpdatedAt = now,
                });
                await session.SaveChangesAsync(cancellationToken);
                return null;
            case StockReservationStatus.Released or StockReservationStatus.Returned:
                return new StockReleased(orderId, reservation.StockLines, reservation.Status == StockReservationStatus.Returned, reservation.UpdatedAt);
            case StockReservationStatus.Reserved or StockReservationStatus.Sold:
                break;
            default:
                return null;
        }

        var wasSold = reservation.Status == StockReservationStatus.Sold;
        foreach (var line in reservation.Lines)
        {
            streams[line.ProductId].AppendOne(wasSold
                ? new SoldUnitsReturned(line.ProductId, orderId, line.Quantity, now)
                : new ReservedUnitsReleased(line.ProductId, orderId, line.Quantity, now));
            var countId = FanProductCount.IdFor(line.ProductId, reservation.FanId);
            var count = await session.LoadAsync<FanProductCount>(countId, cancellationToken);
            session.Store(new FanProductCount(countId, Math.Max(0, (count?.Quantity ?? 0) - line.Quantity)));
        }

        var status = wasSold ? StockReservationStatus.Returned : StockReservationStatus.Released;
        session.Update(reservation with { Status = status, UpdatedAt = now });
        await session.SaveChangesAsync(cancellationToken);
        return new StockReleased(orderId, reservation.StockLines, wasSold, now);
    }

    /// <summary>
    /// An order's reservation read under the locks of its products: a duplicate of the same message waiting on
    /// those locks reads the reservation again once they are free, and sees what the first one did.
    /// </summary>
    private async Task<(StockReservation? Reservation, Dictionary<Guid, IEventStream<Product>> Streams)> LockReservationAsync(
        Guid orderId, CancellationToken cancellationToken)
    {
        var unlocked = await session.LoadAsync<StockReservation>(orderId, cancellationToken);
        if (unlocked is not { Lines.Count: > 0 })
        {
            return (unlocked, []);
        }

        var streams = await LockAsync(unlocked.Lines.Select(line => line.ProductId), cancellationToken);
        return (await session.LoadAsync<StockReservation>(orderId, cancellationToken), streams);
    }

    private async Task<Dictionary<Guid, IEventStream<Product>>> LockAsync(IEnumerable<Guid> productIds, CancellationToken cancellationToken)
    {
        var streams = new Dictionary<Guid, IEventStream<Product>>();
        foreach (var productId in productIds.Distinct().Order())
        {
            streams[productId] = await session.Events.FetchForExclusiveWriting<Product>(productId, cancellationToken);
        }

        return streams;
    }

    private static object AnswerTo(StockReservation reservation) => reservation.Status switch
    {
        StockReservationStatus.Rejected => new StockReservationRejected(
            reservation.Id, reservation.FanId, reservation.RejectionReason!, reservation.RejectedProductId, reservation.CreatedAt),
        StockReservationStatus.Voided => new StockReservationRejected(
            reservation.Id, reservation.FanId, StockRejectionReasons.OrderCancelled, null, reservation.CreatedAt),
        _ => new StockReserved(
            reservation.Id,
            reservation.FanId,
            reservation.Lines.Select(line => new ReservedStockLine(line.ProductId, line.Sku, line.Name, line.Quantity, line.UnitPrice, line.Currency)).ToList(),
            reservation.CreatedAt),
    };
}
