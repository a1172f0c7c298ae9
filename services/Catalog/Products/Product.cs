using Ticketing.Catalog.Shared;

namespace Ticketing.Catalog.Products;

// The product aggregate: a merch item and its stock. Every unit is accounted for by events, so that
// Stock = Available + Reserved + Sold holds at every version of the stream, for the product and for each of its
// variants; and every card of a random-inclusion pool is either left or drawn for exactly one sold unit.

public sealed record ProductListed(
    Guid ProductId,
    string Sku,
    string Name,
    string Artist,
    string? Description,
    decimal Price,
    string Currency,
    int Stock,
    int LimitPerFan,
    DateTimeOffset? ReleaseAt,
    DateTimeOffset ListedAt,
    WaitingRoom? WaitingRoom = null,
    ProductNames? Names = null,
    IReadOnlyList<VariantListed>? Variants = null,
    LimitScope LimitScope = LimitScope.Product,
    InclusionPool? Inclusion = null,
    IReadOnlyList<BundlePart>? Components = null,
    bool SoldByLuckyDraw = false);

/// <summary>A product's names in other languages, each keyed by BCP 47 tag (see <see cref="LocalizedNames"/>); null: none given.</summary>
public sealed record ProductNames(IReadOnlyDictionary<string, string>? Artist, IReadOnlyDictionary<string, string>? Name);

/// <summary>A variant as listed: its code (what orders name), its own SKU, its name and its initial stock.</summary>
public sealed record VariantListed(string Code, string Sku, string Name, int Stock);

/// <summary>A pool of random inclusions: every sold unit comes with one of its items, drawn from what is left.</summary>
public sealed record InclusionPool(string Name, IReadOnlyList<InclusionItem> Items)
{
    public int Total => Items.Sum(item => item.Count);
}

public sealed record InclusionItem(string Code, string Name, int Count);

/// <summary>Units of another product (a variant of it, when it has variants) that one unit of a bundle is made of.</summary>
public sealed record BundlePart(Guid ProductId, string? Variant, int Quantity);

/// <summary>Whether the per-fan limit counts the units of all variants together or each variant on its own.</summary>
public enum LimitScope
{
    Product,
    Variant,
}

public sealed record ProductRestocked(Guid ProductId, int Quantity, int StockAfter, DateTimeOffset RestockedAt, string? Variant = null);

public sealed record UnitsReserved(Guid ProductId, Guid OrderId, string FanId, int Quantity, DateTimeOffset ReservedAt, string? Variant = null);

public sealed record ReservedUnitsSold(Guid ProductId, Guid OrderId, int Quantity, DateTimeOffset SoldAt, string? Variant = null);

public sealed record ReservedUnitsReleased(Guid ProductId, Guid OrderId, int Quantity, DateTimeOffset ReleasedAt, string? Variant = null);

public sealed record SoldUnitsReturned(Guid ProductId, Guid OrderId, int Quantity, DateTimeOffset ReturnedAt, string? Variant = null);

/// <summary>One sold unit of the order got the pool's item <c>Item</c> (one event per unit).</summary>
public sealed record InclusionDrawn(Guid ProductId, Guid OrderId, string Item, DateTimeOffset DrawnAt);

/// <summary>The order was cancelled or refunded: the item it drew is back in the pool.</summary>
public sealed record InclusionReturned(Guid ProductId, Guid OrderId, string Item, DateTimeOffset ReturnedAt);

/// <summary>A picture of the product (of one variant, when <c>Variant</c> is set) was uploaded.</summary>
public sealed record ProductImageAdded(Guid ProductId, Guid ImageId, string? Variant, DateTimeOffset AddedAt);

/// <summary>A variant with its own stock; its numbers are part of the product's.</summary>
public sealed record ProductVariant(string Code, string Sku, string Name, int Stock, int Reserved = 0, int Sold = 0)
{
    public int Available => Stock - Reserved - Sold;
}

/// <summary>One item of a pool: how many there were and how many were drawn for sold units.</summary>
public sealed record InclusionStock(string Code, string Name, int Count, int Drawn = 0)
{
    public int Left => Count - Drawn;
}

public sealed record ProductImage(Guid ImageId, string? Variant);

public sealed record Product
{
    public Guid Id { get; init; }
    public required string Sku { get; init; }
    public required string Name { get; init; }
    public required string Artist { get; init; }
    public string? Description { get; init; }
    public decimal Price { get; init; }
    public required string Currency { get; init; }
    public int LimitPerFan { get; init; }
    public LimitScope LimitScope { get; init; }
    public DateTimeOffset? ReleaseAt { get; init; }

    /// <summary>The drop's waiting room (its sale opens at <see cref="ReleaseAt"/>), or null.</summary>
    public WaitingRoom? WaitingRoom { get; init; }

    /// <summary>The artist's and the product's names in other languages, or null.</summary>
    public ProductNames? Names { get; init; }
    public DateTimeOffset ListedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Units ever received (initial stock plus restocks, less nothing: returns go back to available); for a product with variants, their sum.</summary>
    public int Stock { get; init; }
    public int Reserved { get; init; }
    public int Sold { get; init; }
    public int Available => Stock - Reserved - Sold;

    /// <summary>Album versions, sizes: each with its own SKU and stock. Empty for a product sold as one thing.</summary>
    public IReadOnlyList<ProductVariant> Variants { get; init; } = [];

    /// <summary>The name of the random-inclusion pool ("Photocard"), or null.</summary>
    public string? InclusionName { get; init; }

    /// <summary>The pool's items and how many of each are left.</summary>
    public IReadOnlyList<InclusionStock> Inclusions { get; init; } = [];

    /// <summary>For a bundle: what one unit of it is made of.</summary>
    public IReadOnlyList<BundlePart> Components { get; init; } = [];

    public IReadOnlyList<ProductImage> Images { get; init; } = [];

    /// <summary>Only the winners of the product's lucky draw (run by the Queue service) may buy it.</summary>
    public bool SoldByLuckyDraw { get; init; }
    public int Version { get; set; }

    public bool IsBundle => Components.Count > 0;

    public bool IsReleased(DateTimeOffset now) => ReleaseAt is null || ReleaseAt <= now;

    public ProductVariant? VariantNamed(string? code) => code is null ? null : Variants.FirstOrDefault(variant => variant.Code == code);

    /// <summary>Units of the variant (of the product, for <paramref name="variant"/> null) neither reserved nor sold.</summary>
    public int AvailableOf(string? variant) => variant is null ? Available : VariantNamed(variant)?.Available ?? 0;

    /// <summary>
    /// Units a fan can buy now: for a bundle, no more than its parts allow (a part's units neither reserved nor sold,
    /// divided by how many one bundle takes; a part that is not in <paramref name="parts"/> allows none); for any other
    /// product, <see cref="Available"/>.
    /// </summary>
    public int BuyableWith(IReadOnlyDictionary<Guid, Product> parts) => Components.Aggregate(Available, (buyable, part) =>
        Math.Min(buyable, parts.TryGetValue(part.ProductId, out var product) ? product.AvailableOf(part.Variant) / part.Quantity : 0));

    public static Product Create(ProductListed listed) => new()
    {
        Id = listed.ProductId,
        Sku = listed.Sku,
        Name = listed.Name,
        Artist = listed.Artist,
        Description = listed.Description,
        Price = listed.Price,
        Currency = listed.Currency,
        Stock = listed.Variants is { Count: > 0 } variants ? variants.Sum(variant => variant.Stock) : listed.Stock,
        LimitPerFan = listed.LimitPerFan,
        LimitScope = listed.LimitScope,
        ReleaseAt = listed.ReleaseAt,
        WaitingRoom = listed.WaitingRoom,
        Names = listed.Names,
        ListedAt = listed.ListedAt,
        UpdatedAt = listed.ListedAt,
        Variants = listed.Variants?.Select(variant => new ProductVariant(variant.Code, variant.Sku, variant.Name, variant.Stock)).ToList() ?? [],
        InclusionName = listed.Inclusion?.Name,
        Inclusions = listed.Inclusion?.Items.Select(item => new InclusionStock(item.Code, item.Name, item.Count)).ToList() ?? [],
        Components = listed.Components ?? [],
        SoldByLuckyDraw = listed.SoldByLuckyDraw,
    };

    public Product Apply(ProductRestocked restocked) => this with
    {
        Stock = Stock + restocked.Quantity,
        Variants = Change(restocked.Variant, variant => variant with { Stock = variant.Stock + restocked.Quantity }),
        UpdatedAt = restocked.RestockedAt,
    };

    public Product Apply(UnitsReserved reserved) => this with
    {
        Reserved = Reserved + reserved.Quantity,
        Variants = Change(reserved.Variant, variant => variant with { Reserved = variant.Reserved + reserved.Quantity }),
        UpdatedAt = reserved.ReservedAt,
    };

    public Product Apply(ReservedUnitsSold sold) => this with
    {
        Reserved = Reserved - sold.Quantity,
        Sold = Sold + sold.Quantity,
        Variants = Change(sold.Variant, variant => variant with { Reserved = variant.Reserved - sold.Quantity, Sold = variant.Sold + sold.Quantity }),
        UpdatedAt = sold.SoldAt,
    };

    public Product Apply(ReservedUnitsReleased released) => this with
    {
        Reserved = Reserved - released.Quantity,
        Variants = Change(released.Variant, variant => variant with { Reserved = variant.Reserved - released.Quantity }),
        UpdatedAt = released.ReleasedAt,
    };

    public Product Apply(SoldUnitsReturned returned) => this with
    {
        Sold = Sold - returned.Quantity,
        Variants = Change(returned.Variant, variant => variant with { Sold = variant.Sold - returned.Quantity }),
        UpdatedAt = returned.ReturnedAt,
    };

    public Product Apply(InclusionDrawn drawn) => this with
    {
        Inclusions = Inclusions.Select(item => item.Code == drawn.Item ? item with { Drawn = item.Drawn + 1 } : item).ToList(),
        UpdatedAt = drawn.DrawnAt,
    };

    public Product Apply(InclusionReturned returned) => this with
    {
        Inclusions = Inclusions.Select(item => item.Code == returned.Item ? item with { Drawn = item.Drawn - 1 } : item).ToList(),
        UpdatedAt = returned.ReturnedAt,
    };

    public Product Apply(ProductImageAdded added) => this with
    {
        Images = [.. Images, new ProductImage(added.ImageId, added.Variant)],
        UpdatedAt = added.AddedAt,
    };

    private IReadOnlyList<ProductVariant> Change(string? code, Func<ProductVariant, ProductVariant> change) =>
        code is null ? Variants : Variants.Select(variant => variant.Code == code ? change(variant) : variant).ToList();
}
