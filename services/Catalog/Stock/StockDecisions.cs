using Ticketing.Catalog.Products;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Catalog.Stock;

/// <summary>The reservation decision as a pure function of the products' state, the fan's counts and the time.</summary>
public static class StockDecisions
{
    /// <summary>
    /// Every line of the request reserved, or none: the record of the decision and the events that reserve the
    /// units. <paramref name="counts"/> holds units already held or bought per <see cref="FanProductCount"/> id.
    /// </summary>
    public static (StockReservation Reservation, IReadOnlyList<UnitsReserved> Events) Reserve(
        ReserveStock request,
        IReadOnlyDictionary<Guid, Product?> products,
        IReadOnlyDictionary<string, int> counts,
        DateTimeOffset now)
    {
        if (request.FanId is null || request.Lines is null || request.Lines.Any(line => line is null))
        {
            return (Record(request, StockReservationStatus.Rejected, [], StockRejectionReasons.InvalidRequest, null, now), []);
        }

        var wanted = request.Lines
            .GroupBy(line => line.ProductId)
            .Select(group => new StockLine(group.Key, group.Sum(line => line.Quantity)))
            .ToList();
        var lines = new List<StockReservationLine>();
        foreach (var line in wanted)
        {
            var product = products.GetValueOrDefault(line.ProductId);
            var already = counts.GetValueOrDefault(FanProductCount.IdFor(line.ProductId, request.FanId));
            var rejection = product switch
            {
                _ when line.Quantity < 1 => StockRejectionReasons.InvalidRequest,
                null => StockRejectionReasons.UnknownProduct,
                _ when !product.IsReleased(now) => StockRejectionReasons.NotReleased,
                _ when already + line.Quantity > product.LimitPerFan => StockRejectionReasons.LimitExceeded,
                _ when product.Available < line.Quantity => StockRejectionReasons.OutOfStock,
                _ => null,
            };
            if (rejection is not null)
            {
                return (Record(request, StockReservationStatus.Rejected, [], rejection, line.ProductId, now), []);
            }

            lines.Add(new StockReservationLine(product!.Id, product.Sku, product.Name, line.Quantity, product.Price, product.Currency));
        }

        if (lines.Count == 0)
        {
            return (Record(request, StockReservationStatus.Rejected, [], StockRejectionReasons.InvalidRequest, null, now), []);
        }

        return (
            Record(request, StockReservationStatus.Reserved, lines, null, null, now),
            lines.Select(line => new UnitsReserved(line.ProductId, request.OrderId, request.FanId, line.Quantity, now)).ToList());
    }

    private static StockReservation Record(
        ReserveStock request, StockReservationStatus status, IReadOnlyList<StockReservationLine> lines, string? reason, Guid? productId, DateTimeOffset now) => new()
    {
        Id = request.OrderId,
        FanId = request.FanId ?? "",
        Status = status,
        Lines = lines,
        RejectionReason = reason,
        RejectedProductId = productId,
        CreatedAt = now,
        UpdatedAt = now,
    };
}
