using Ticketing.Catalog.Products;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Catalog.Stock;

/// <summary>The reservation decision as a pure function of the products' state, the fan's counts and the time.</summary>
public static class StockDecisions
{
    /// <summary>
    /// Every line of the request reserved, or none: the record of the decision and the events that reserve the
    /// units. A line names a product, a variant of it (required when the product has variants) or a bundle, whose
    /// parts are reserved with it from their own stock. <paramref name="products"/> holds the lines' products and the
    /// bundles' parts; <paramref name="counts"/> the units already held or bought per <see cref="FanProductCount"/> id.
    /// </summary>
    public static (StockReservation Reservation, IReadOnlyList<UnitsReserved> Events) Reserve(
        ReserveStock request,
        IReadOnlyDictionary<Guid, Product?> products,
        IReadOnlyDictionary<string, int> counts,
        DateTimeOffset now)
    {
        if (request.FanId is null || request.Lines is null || request.Lines.Any(line => line is null))
        {
            return (Record(request, StockReservationStatus.Rejected, [], [], StockRejectionReasons.InvalidRequest, null, now), []);
        }

        var wanted = request.Lines
            .GroupBy(line => (line.ProductId, Variant: Normalize(line.Variant)))
            .Select(group => (group.Key.ProductId, group.Key.Variant, Quantity: group.Sum(line => line.Quantity)))
            .ToList();
        var lines = new List<StockReservationLine>();
        var moves = new Dictionary<(Guid ProductId, string? Variant), int>();
        var fanCounts = new Dictionary<string, int>();
        foreach (var line in wanted)
        {
            var product = products.GetValueOrDefault(line.ProductId);
            var rejection = Check(line.Quantity, product, line.Variant, now);
            if (rejection is null)
            {
                var countId = product!.LimitScope == LimitScope.Variant
                    ? FanProductCount.IdFor(product.Id, line.Variant, request.FanId)
                    : FanProductCount.IdFor(product.Id, request.FanId);
                var already = counts.GetValueOrDefault(countId) + fanCounts.GetValueOrDefault(countId);
                fanCounts[countId] = fanCounts.GetValueOrDefault(countId) + line.Quantity;
                if (already + line.Quantity > product.LimitPerFan)
                {
                    rejection = StockRejectionReasons.LimitExceeded;
                }
            }

            if (rejection is null)
            {
                Take(moves, product!.Id, line.Variant, line.Quantity);
                foreach (var part in product.Components)
                {
                    Take(moves, part.ProductId, part.Variant, part.Quantity * line.Quantity);
                }

                // All or nothing, a bundle's parts included: every product's units, summed over the lines, must be there.
                foreach (var ((productId, variant), quantity) in moves)
                {
                    var moved = products.GetValueOrDefault(productId);
                    if (moved is null || (variant is not null && moved.VariantNamed(variant) is null))
                    {
                        rejection = StockRejectionReasons.UnknownProduct;
                    }
                    else if (moved.AvailableOf(variant) < quantity)
                    {
                        rejection = StockRejectionReasons.OutOfStock;
                    }

                    if (rejection is not null)
                    {
                        return (Record(request, StockReservationStatus.Rejected, [], [], rejection, productId, now), []);
                    }
                }
            }

            if (rejection is not null)
            {
                return (Record(request, StockReservationStatus.Rejected, [], [], rejection, line.ProductId, now), []);
            }

            var chosen = product!.VariantNamed(line.Variant);
            lines.Add(new StockReservationLine(
                product.Id,
                chosen?.Sku ?? product.Sku,
                chosen is null ? product.Name : $"{product.Name} ({chosen.Name})",
                line.Quantity,
                product.Price,
                product.Currency,
                line.Variant));
        }

        if (lines.Count == 0)
        {
            return (Record(request, StockReservationStatus.Rejected, [], [], StockRejectionReasons.InvalidRequest, null, now), []);
        }

        var stockMoves = moves.Select(move => new StockMove(move.Key.ProductId, move.Key.Variant, move.Value)).ToList();
        return (
            Record(request, StockReservationStatus.Reserved, lines, stockMoves, null, null, now),
            stockMoves.Select(move => new UnitsReserved(move.ProductId, request.OrderId, request.FanId, move.Quantity, now, move.Variant)).ToList());
    }

    /// <summary>The per-fan count ids a reserved line adds to: the product's, and the variant's for a line with one.</summary>
    public static IEnumerable<string> CountIdsOf(StockReservationLine line, string fanId) =>
        line.Variant is null
            ? [FanProductCount.IdFor(line.ProductId, fanId)]
            : [FanProductCount.IdFor(line.ProductId, fanId), FanProductCount.IdFor(line.ProductId, line.Variant, fanId)];

    public static string? Normalize(string? variant) => string.IsNullOrWhiteSpace(variant) ? null : variant.Trim().ToUpperInvariant();

    private static string? Check(int quantity, Product? product, string? variant, DateTimeOffset now) => product switch
    {
        _ when quantity < 1 => StockRejectionReasons.InvalidRequest,
        null => StockRejectionReasons.UnknownProduct,
        _ when (product.Variants.Count > 0 ? product.VariantNamed(variant) is null : variant is not null) => StockRejectionReasons.UnknownVariant,
        _ when !product.IsReleased(now) => StockRejectionReasons.NotReleased,
        _ => null,
    };

    private static void Take(Dictionary<(Guid, string?), int> moves, Guid productId, string? variant, int quantity) =>
        moves[(productId, variant)] = moves.GetValueOrDefault((productId, variant)) + quantity;

    private static StockReservation Record(
        ReserveStock request, StockReservationStatus status, IReadOnlyList<StockReservationLine> lines, IReadOnlyList<StockMove> moves,
        string? reason, Guid? productId, DateTimeOffset now) => new()
        {
            Id = request.OrderId,
            FanId = request.FanId ?? "",
            Status = status,
            Lines = lines,
            Moves = moves,
            RejectionReason = reason,
            RejectedProductId = productId,
            CreatedAt = now,
            UpdatedAt = now,
        };
}
