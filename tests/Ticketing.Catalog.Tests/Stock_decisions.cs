using Ticketing.Catalog.Products;
using Ticketing.Catalog.Stock;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Catalog.Tests;

/// <summary>
/// The reservation decision (<see cref="StockDecisions.Reserve"/>) as a pure function: no unit beyond stock, no fan
/// beyond the limit, all lines or none. Unit tests without servers, fast enough for mutation testing.
/// </summary>
public sealed class Stock_decisions
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Fan = "fan-1";

    /// <summary>A product by NOVA in KRW with <paramref name="stock"/> units.</summary>
    private static Product Merch(string sku, string name, decimal price, int stock, int limit) => new()
    {
        Id = Guid.NewGuid(),
        Sku = sku,
        Name = name,
        Artist = "NOVA",
        Price = price,
        Currency = "KRW",
        Stock = stock,
        LimitPerFan = limit,
    };

    private static Product Lightstick(int stock = 10, int reserved = 0, int sold = 0, int limit = 4, DateTimeOffset? releaseAt = null) =>
        Merch("LS-1", "Lightstick", 45_000m, stock, limit) with { Reserved = reserved, Sold = sold, ReleaseAt = releaseAt };

    private static Product Album(int stockA = 5, int stockB = 5, int limit = 4, LimitScope scope = LimitScope.Product) =>
        Merch("AL-1", "Album", 20_000m, stockA + stockB, limit) with
        {
            LimitScope = scope,
            Variants = [new ProductVariant("A", "AL-1-A", "Version A", stockA), new ProductVariant("B", "AL-1-B", "Version B", stockB)],
        };

    private static (StockReservation Reservation, IReadOnlyList<UnitsReserved> Events) Reserve(
        IEnumerable<Product> products, IReadOnlyDictionary<string, int>? counts, params StockLine[] lines) =>
        StockDecisions.Reserve(new ReserveStock(Guid.NewGuid(), Fan, lines), products.ToDictionary(p => p.Id, p => (Product?)p), counts ?? new Dictionary<string, int>(), Now);

    private static void AssertRejected((StockReservation Reservation, IReadOnlyList<UnitsReserved> Events) decision, string reason, Guid? productId)
    {
        Assert.Equal(StockReservationStatus.Rejected, decision.Reservation.Status);
        Assert.Equal(reason, decision.Reservation.RejectionReason);
        Assert.Equal(productId, decision.Reservation.RejectedProductId);
        Assert.Empty(decision.Events);
        Assert.Empty(decision.Reservation.Lines);
        Assert.Empty(decision.Reservation.Moves);
    }

    [Fact]
    public void The_last_available_units_are_reserved_and_recorded_at_their_price()
    {
        var product = Lightstick(stock: 10, reserved: 4, sold: 3);

        var (reservation, events) = Reserve([product], null, new StockLine(product.Id, 3));

        Assert.Equal(StockReservationStatus.Reserved, reservation.Status);
        Assert.Null(reservation.RejectionReason);
        Assert.Equal(Fan, reservation.FanId);
        Assert.Equal(Now, reservation.CreatedAt);
        Assert.Equal(Now, reservation.UpdatedAt);
        var line = Assert.Single(reservation.Lines);
        Assert.Equal(new StockReservationLine(product.Id, "LS-1", "Lightstick", 3, 45_000m, "KRW"), line);
        Assert.Equal([new StockMove(product.Id, null, 3)], reservation.Moves);
        var reserved = Assert.Single(events);
        Assert.Equal(new UnitsReserved(product.Id, reservation.Id, Fan, 3, Now), reserved);
    }

    [Fact]
    public void One_unit_more_than_is_available_reserves_nothing()
    {
        var product = Lightstick(stock: 10, reserved: 4, sold: 3);

        AssertRejected(Reserve([product], null, new StockLine(product.Id, 4)), StockRejectionReasons.OutOfStock, product.Id);
    }

    [Fact]
    public void Two_lines_of_one_product_count_together_against_its_stock()
    {
        var product = Lightstick(stock: 3, limit: 10);

        AssertRejected(Reserve([product], null, new StockLine(product.Id, 2), new StockLine(product.Id, 2)), StockRejectionReasons.OutOfStock, product.Id);
        var (reservation, events) = Reserve([product], null, new StockLine(product.Id, 2), new StockLine(product.Id, 1));
        Assert.Equal(3, Assert.Single(reservation.Lines).Quantity);
        Assert.Equal(3, Assert.Single(events).Quantity);
    }

    [Fact]
    public void A_fan_reaches_the_limit_but_never_passes_it()
    {
        var product = Lightstick(limit: 4);
        var counts = new Dictionary<string, int> { [FanProductCount.IdFor(product.Id, Fan)] = 3 };

        Assert.Equal(StockReservationStatus.Reserved, Reserve([product], counts, new StockLine(product.Id, 1)).Reservation.Status);
        AssertRejected(Reserve([product], counts, new StockLine(product.Id, 2)), StockRejectionReasons.LimitExceeded, product.Id);
        // Another fan's count is not this fan's.
        var others = new Dictionary<string, int> { [FanProductCount.IdFor(product.Id, "fan-2")] = 4 };
        Assert.Equal(StockReservationStatus.Reserved, Reserve([product], others, new StockLine(product.Id, 4)).Reservation.Status);
    }

    [Fact]
    public void Lines_of_one_request_count_together_against_the_limit()
    {
        var product = Lightstick(limit: 4);

        AssertRejected(Reserve([product], null, new StockLine(product.Id, 3), new StockLine(product.Id, 2)), StockRejectionReasons.LimitExceeded, product.Id);
    }

    [Fact]
    public void Lines_of_two_variants_count_together_against_a_product_wide_limit_and_apart_against_a_per_variant_one()
    {
        var productWide = Album(limit: 2);
        AssertRejected(
            Reserve([productWide], null, new StockLine(productWide.Id, 2) { Variant = "A" }, new StockLine(productWide.Id, 1) { Variant = "B" }),
            StockRejectionReasons.LimitExceeded, productWide.Id);

        var perVariant = Album(limit: 2, scope: LimitScope.Variant);
        var (reservation, events) = Reserve([perVariant], null, new StockLine(perVariant.Id, 2) { Variant = "A" }, new StockLine(perVariant.Id, 2) { Variant = "B" });
        Assert.Equal(StockReservationStatus.Reserved, reservation.Status);
        Assert.Equal(["A", "B"], events.Select(e => e.Variant).Order());

        var counts = new Dictionary<string, int> { [FanProductCount.IdFor(perVariant.Id, "A", Fan)] = 2 };
        AssertRejected(Reserve([perVariant], counts, new StockLine(perVariant.Id, 1) { Variant = "A" }), StockRejectionReasons.LimitExceeded, perVariant.Id);
        Assert.Equal(StockReservationStatus.Reserved, Reserve([perVariant], counts, new StockLine(perVariant.Id, 2) { Variant = "B" }).Reservation.Status);
    }

    [Fact]
    public void A_variant_is_reserved_from_its_own_stock_named_as_the_fan_typed_it_in_any_case()
    {
        var album = Album(stockA: 1, stockB: 5);

        var (reservation, events) = Reserve([album], null, new StockLine(album.Id, 1) { Variant = " a " });
        Assert.Equal(new StockReservationLine(album.Id, "AL-1-A", "Album (Version A)", 1, 20_000m, "KRW", "A"), Assert.Single(reservation.Lines));
        Assert.Equal(new UnitsReserved(album.Id, reservation.Id, Fan, 1, Now, "A"), Assert.Single(events));

        // Version A has one unit, though the album has six.
        AssertRejected(Reserve([album], null, new StockLine(album.Id, 2) { Variant = "A" }), StockRejectionReasons.OutOfStock, album.Id);
    }

    [Fact]
    public void A_product_with_variants_needs_a_known_one_and_one_without_takes_none()
    {
        var album = Album();
        var lightstick = Lightstick();

        AssertRejected(Reserve([album], null, new StockLine(album.Id, 1)), StockRejectionReasons.UnknownVariant, album.Id);
        AssertRejected(Reserve([album], null, new StockLine(album.Id, 1) { Variant = "Z" }), StockRejectionReasons.UnknownVariant, album.Id);
        AssertRejected(Reserve([lightstick], null, new StockLine(lightstick.Id, 1) { Variant = "A" }), StockRejectionReasons.UnknownVariant, lightstick.Id);
        Assert.Equal(StockReservationStatus.Reserved, Reserve([lightstick], null, new StockLine(lightstick.Id, 1) { Variant = "  " }).Reservation.Status);
    }

    [Fact]
    public void Nothing_is_sold_before_the_release_time_and_everything_from_it()
    {
        var later = Lightstick(releaseAt: Now.AddSeconds(1));
        var now = Lightstick(releaseAt: Now);

        AssertRejected(Reserve([later], null, new StockLine(later.Id, 1)), StockRejectionReasons.NotReleased, later.Id);
        Assert.Equal(StockReservationStatus.Reserved, Reserve([now], null, new StockLine(now.Id, 1)).Reservation.Status);
    }

    [Fact]
    public void A_bundle_takes_its_parts_from_their_own_stock_or_nothing_at_all()
    {
        var album = Album(stockA: 3, stockB: 0, limit: 10);
        var lightstick = Lightstick(stock: 10, limit: 10);
        var bundle = Lightstick(stock: 5, limit: 10) with
        {
            Sku = "BUNDLE-1",
            Name = "Bundle",
            Components = [new BundlePart(album.Id, "A", 1), new BundlePart(lightstick.Id, null, 2)],
        };

        var (reservation, events) = Reserve([bundle, album, lightstick], null, new StockLine(bundle.Id, 3));
        Assert.Equal(StockReservationStatus.Reserved, reservation.Status);
        Assert.Equal(
            [new StockMove(bundle.Id, null, 3), new StockMove(album.Id, "A", 3), new StockMove(lightstick.Id, null, 6)],
            reservation.Moves);
        Assert.Equal(3, events.Count);
        Assert.Equal(12, events.Sum(e => e.Quantity));

        // A fourth bundle needs a fourth Version A: there is none, so not even the bundle's own units are taken.
        AssertRejected(Reserve([bundle, album, lightstick], null, new StockLine(bundle.Id, 4)), StockRejectionReasons.OutOfStock, album.Id);

        // A lightstick bought beside the bundle counts against the same lightstick stock as the bundle's parts.
        AssertRejected(
            Reserve([bundle, album, lightstick], null, new StockLine(bundle.Id, 3), new StockLine(lightstick.Id, 5)),
            StockRejectionReasons.OutOfStock, lightstick.Id);

        // A part that is not in the catalog (or a variant of it that is not) makes the bundle unknown.
        AssertRejected(Reserve([bundle, lightstick], null, new StockLine(bundle.Id, 1)), StockRejectionReasons.UnknownProduct, album.Id);
        var wrongVariant = bundle with { Components = [new BundlePart(album.Id, "Z", 1)] };
        AssertRejected(Reserve([wrongVariant, album], null, new StockLine(wrongVariant.Id, 1)), StockRejectionReasons.UnknownProduct, album.Id);
    }

    [Fact]
    public void A_request_that_cannot_be_read_reserves_nothing()
    {
        var product = Lightstick();
        var products = new Dictionary<Guid, Product?> { [product.Id] = product };
        var none = new Dictionary<string, int>();

        var withoutFan = StockDecisions.Reserve(new ReserveStock(Guid.NewGuid(), null!, [new StockLine(product.Id, 1)]), products, none, Now);
        AssertRejected(withoutFan, StockRejectionReasons.InvalidRequest, null);
        Assert.Equal("", withoutFan.Reservation.FanId);
        AssertRejected(StockDecisions.Reserve(new ReserveStock(Guid.NewGuid(), Fan, null!), products, none, Now), StockRejectionReasons.InvalidRequest, null);
        AssertRejected(StockDecisions.Reserve(new ReserveStock(Guid.NewGuid(), Fan, [null!]), products, none, Now), StockRejectionReasons.InvalidRequest, null);
        AssertRejected(StockDecisions.Reserve(new ReserveStock(Guid.NewGuid(), Fan, [new StockLine(product.Id, 1), null!]), products, none, Now),
            StockRejectionReasons.InvalidRequest, null);
        AssertRejected(StockDecisions.Reserve(new ReserveStock(Guid.NewGuid(), Fan, []), products, none, Now), StockRejectionReasons.InvalidRequest, null);
        AssertRejected(Reserve([product], null, new StockLine(product.Id, 0)), StockRejectionReasons.InvalidRequest, product.Id);
        Assert.Equal(StockReservationStatus.Reserved, Reserve([product], null, new StockLine(product.Id, 1)).Reservation.Status);
        var unknown = Guid.NewGuid();
        AssertRejected(Reserve([product], null, new StockLine(unknown, 1)), StockRejectionReasons.UnknownProduct, unknown);
    }

    [Fact]
    public void Count_ids_of_a_line_are_the_products_and_for_a_variant_also_the_variants()
    {
        var productId = Guid.NewGuid();

        Assert.Equal([FanProductCount.IdFor(productId, Fan)], StockDecisions.CountIdsOf(new StockReservationLine(productId, "S", "N", 1, 1m, "KRW"), Fan));
        Assert.Equal(
            [FanProductCount.IdFor(productId, Fan), FanProductCount.IdFor(productId, "A", Fan)],
            StockDecisions.CountIdsOf(new StockReservationLine(productId, "S", "N", 1, 1m, "KRW", "A"), Fan));
    }
}
