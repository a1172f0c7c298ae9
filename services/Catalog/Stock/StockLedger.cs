using JasperFx.Events;
using Marten;
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
            var named = fresh.SelectMany(request => StockLinesOf(request)).Select(line => line.ProductId).Distinct().ToArray();

            // A bundle's parts are locked with it. What a bundle is made of never changes, so it is read before the locks.
            var parts = (await session.LoadManyAsync<Product>(cancellationToken, named))
                .SelectMany(product => product.Components).Select(part => part.ProductId);
            var streams = await LockAsync(named.Concat(parts), cancellationToken);
            var products = streams.ToDictionary(stream => stream.Key, stream => stream.Value.Aggregate);
            var countIds = fresh
                .SelectMany(request => StockLinesOf(request).SelectMany(line => new[]
                {
                    FanProductCount.IdFor(line.ProductId, request.FanId),
                    FanProductCount.IdFor(line.ProductId, StockDecisions.Normalize(line.Variant), request.FanId),
                }))
                .Distinct()
                .ToArray();
            var counts = (await session.LoadManyAsync<FanProductCount>(cancellationToken, countIds)).ToDictionary(count => count.Id, count => count.Quantity);
            var changedCounts = new HashSet<string>();

            foreach (var request in fresh)
            {
                var (reservation, reservedEvents) = StockDecisions.Reserve(request, products, counts, now);
                foreach (var reserved in reservedEvents)
                {
                    streams[reserved.ProductId].AppendOne(reserved);
                    products[reserved.ProductId] = products[reserved.ProductId]!.Apply(reserved);
                }

                foreach (var countId in reservation.Lines.SelectMany(line => StockDecisions.CountIdsOf(line, reservation.FanId).Select(id => (id, line.Quantity))))
                {
                    counts[countId.id] = counts.GetValueOrDefault(countId.id) + countId.Quantity;
                    changedCounts.Add(countId.id);
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

    /// <summary>
    /// The orders were confirmed: their reserved units become sold, in one transaction. Answers each order that had
    /// merch (again, unchanged, for one already sold), one answer per id given; null for an order with nothing reserved.
    /// </summary>
    public async Task<IReadOnlyList<StockCommitted?>> SellAsync(IReadOnlyList<Guid> orderIds, CancellationToken cancellationToken)
    {
        var (reservations, streams) = await LockReservationsAsync(orderIds, status => status == StockReservationStatus.Reserved, cancellationToken);
        var now = time.GetUtcNow();
        var answers = new List<StockCommitted>();
        var products = streams.ToDictionary(stream => stream.Key, stream => stream.Value.Aggregate);
        foreach (var reservation in reservations)
        {
            switch (reservation.Status)
            {
                case StockReservationStatus.Sold:
                    answers.Add(Committed(reservation, reservation.UpdatedAt));
                    break;
                case StockReservationStatus.Reserved:
                    var drawn = new List<DrawnItem>();
                    foreach (var move in reservation.Units)
                    {
                        streams[move.ProductId].AppendOne(new ReservedUnitsSold(move.ProductId, reservation.Id, move.Quantity, now, move.Variant));

                        // Each sold unit of a product with a pool draws one item from what is left, in the product's
                        // stream under its lock: the count of an item can never go below zero.
                        for (var unit = 0; unit < move.Quantity && products[move.ProductId] is { InclusionName: { } pool } product; unit++)
                        {
                            if (InclusionDraws.Draw(product.Inclusions) is not { } item)
                            {
                                break;
                            }

                            var drawnEvent = new InclusionDrawn(move.ProductId, reservation.Id, item.Code, now);
                            streams[move.ProductId].AppendOne(drawnEvent);
                            products[move.ProductId] = product.Apply(drawnEvent);
                            drawn.Add(new DrawnItem(move.ProductId, move.Variant, pool, item.Code, item.Name));
                        }
                    }

                    var sold = reservation with { Status = StockReservationStatus.Sold, Drawn = drawn, UpdatedAt = now };
                    session.Update(sold);
                    answers.Add(Committed(sold, now));
                    break;
            }
        }

        await session.SaveChangesAsync(cancellationToken);
        var byOrder = answers.ToDictionary(answer => answer.OrderId);
        return orderIds.Select(orderId => byOrder.GetValueOrDefault(orderId)).ToList();
    }

    /// <summary>
    /// The orders were cancelled (or confirmed ones refunded), in one transaction: their units go back on sale and
    /// stop counting against their fans' limits. A cancellation that overtakes its reservation request voids the
    /// order here, so the late request reserves nothing. A refund that overtakes its order's confirmation (the two
    /// come on queues of their own) finds the units still reserved: the order was paid, so they are sold and returned
    /// at once, answered with both <see cref="StockCommitted"/> and <see cref="StockReleased"/> (<c>WasSold</c>), as if
    /// the messages had come in order; the late confirmation then sells nothing. Answers each order given with the
    /// messages to publish: none for an order with nothing to give back.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<object>>> ReleaseAsync(IReadOnlyList<StockGiveBack> orders, CancellationToken cancellationToken)
    {
        var fanOf = orders.DistinctBy(order => order.OrderId).ToDictionary(order => order.OrderId, order => order.FanId);
        var refunds = orders.Where(order => order.WasConfirmed).Select(order => order.OrderId).ToHashSet();
        var (reservations, streams) = await LockReservationsAsync(
            fanOf.Keys.ToList(), status => status is StockReservationStatus.Reserved or StockReservationStatus.Sold, cancellationToken);
        var now = time.GetUtcNow();
        foreach (var orderId in fanOf.Keys.Except(reservations.Select(reservation => reservation.Id)))
        {
            session.Insert(new StockReservation
            {
                Id = orderId, FanId = fanOf[orderId], Status = StockReservationStatus.Voided, CreatedAt = now, UpdatedAt = now,
            });
        }

        var giveBack = reservations.Where(reservation => reservation.Status is StockReservationStatus.Reserved or StockReservationStatus.Sold).ToList();
        var countIds = giveBack.SelectMany(reservation => reservation.Lines.SelectMany(line => StockDecisions.CountIdsOf(line, reservation.FanId))).Distinct().ToArray();
        var counts = (await session.LoadManyAsync<FanProductCount>(cancellationToken, countIds)).ToDictionary(count => count.Id, count => count.Quantity);
        var answers = new Dictionary<Guid, IReadOnlyList<object>>();
        foreach (var reservation in reservations)
        {
            switch (reservation.Status)
            {
                case StockReservationStatus.Released:
                    answers[reservation.Id] = [Released(reservation, false, reservation.UpdatedAt)];
                    break;
                case StockReservationStatus.Returned:
                    // Answered again as it was first answered: a refund may have sold the units as well as returned
                    // them (see above), and a sale answered twice changes nothing for those who hear it.
                    answers[reservation.Id] = refunds.Contains(reservation.Id)
                        ? [Committed(reservation, reservation.UpdatedAt), Released(reservation, true, reservation.UpdatedAt)]
                        : [Released(reservation, true, reservation.UpdatedAt)];
                    break;
                case StockReservationStatus.Reserved or StockReservationStatus.Sold:
                    var soldNow = reservation.Status == StockReservationStatus.Reserved && refunds.Contains(reservation.Id);
                    var wasSold = reservation.Status == StockReservationStatus.Sold || soldNow;
                    foreach (var move in reservation.Units)
                    {
                        if (soldNow)
                        {
                            streams[move.ProductId].AppendOne(new ReservedUnitsSold(move.ProductId, reservation.Id, move.Quantity, now, move.Variant));
                        }

                        streams[move.ProductId].AppendOne(wasSold
                            ? new SoldUnitsReturned(move.ProductId, reservation.Id, move.Quantity, now, move.Variant)
                            : new ReservedUnitsReleased(move.ProductId, reservation.Id, move.Quantity, now, move.Variant));
                    }

                    // A refunded order's random inclusions go back to their pools.
                    foreach (var item in reservation.Drawn)
                    {
                        streams[item.ProductId].AppendOne(new InclusionReturned(item.ProductId, reservation.Id, item.Item, now));
                    }

                    foreach (var line in reservation.Lines)
                    {
                        foreach (var countId in StockDecisions.CountIdsOf(line, reservation.FanId))
                        {
                            counts[countId] = Math.Max(0, counts.GetValueOrDefault(countId) - line.Quantity);
                        }
                    }

                    var given = reservation with { Status = wasSold ? StockReservationStatus.Returned : StockReservationStatus.Released, UpdatedAt = now };
                    session.Update(given);
                    answers[reservation.Id] = soldNow
                        ? [Committed(reservation with { Status = StockReservationStatus.Sold, UpdatedAt = now }, now), Released(given, wasSold, now)]
                        : [Released(given, wasSold, now)];
                    break;
            }
        }

        session.Store(countIds.Select(id => new FanProductCount(id, counts.GetValueOrDefault(id))).ToArray());
        await session.SaveChangesAsync(cancellationToken);
        return orders.Select(order => answers.GetValueOrDefault(order.OrderId) ?? []).ToList();
    }

    /// <summary>
    /// The orders' reservations, those in a status that <paramref name="changes"/> read again under the locks of
    /// their products: a duplicate of the same message waiting on those locks reads the reservation again once
    /// they are free, and sees what the first one did. Orders with no reservation are left out.
    /// </summary>
    private async Task<(IReadOnlyList<StockReservation> Reservations, Dictionary<Guid, IEventStream<Product>> Streams)> LockReservationsAsync(
        IReadOnlyList<Guid> orderIds, Func<StockReservationStatus, bool> changes, CancellationToken cancellationToken)
    {
        var unlocked = await session.LoadManyAsync<StockReservation>(cancellationToken, orderIds.Distinct().ToArray());
        var toLock = unlocked.Where(reservation => changes(reservation.Status) && reservation.Units.Count > 0).ToList();
        if (toLock.Count == 0)
        {
            return (unlocked, []);
        }

        var streams = await LockAsync(toLock.SelectMany(reservation => reservation.Units).Select(move => move.ProductId), cancellationToken);
        var locked = (await session.LoadManyAsync<StockReservation>(cancellationToken, toLock.Select(reservation => reservation.Id).ToArray()))
            .ToDictionary(reservation => reservation.Id);
        return (unlocked.Select(reservation => locked.GetValueOrDefault(reservation.Id) ?? reservation).ToList(), streams);
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

    /// <summary>The lines of a well-formed request; none for a malformed one, which is decided (rejected) without a lock.</summary>
    private static IEnumerable<StockLine> StockLinesOf(ReserveStock request) =>
        request.FanId is null || request.Lines is null || request.Lines.Any(line => line is null) ? [] : request.Lines;

    private static StockCommitted Committed(StockReservation reservation, DateTimeOffset at) =>
        new(reservation.Id, reservation.StockLines, at) { FanId = reservation.FanId, Inclusions = reservation.Inclusions };

    private static StockReleased Released(StockReservation reservation, bool wasSold, DateTimeOffset at) =>
        new(reservation.Id, reservation.StockLines, wasSold, at) { PricedLines = reservation.PricedLines };

    private static object AnswerTo(StockReservation reservation) => reservation.Status switch
    {
        StockReservationStatus.Rejected => new StockReservationRejected(
            reservation.Id, reservation.FanId, reservation.RejectionReason!, reservation.RejectedProductId, reservation.CreatedAt),
        StockReservationStatus.Voided => new StockReservationRejected(
            reservation.Id, reservation.FanId, StockRejectionReasons.OrderCancelled, null, reservation.CreatedAt),
        _ => new StockReserved(
            reservation.Id,
            reservation.FanId,
            reservation.PricedLines,
            reservation.CreatedAt),
    };
}

/// <summary>An order whose merch goes back on sale: cancelled, or refunded when <paramref name="WasConfirmed"/>.</summary>
public sealed record StockGiveBack(Guid OrderId, string FanId, bool WasConfirmed);
