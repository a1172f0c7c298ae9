using Ticketing.Catalog.Shared;

namespace Ticketing.Catalog.Products;

/// <summary>
/// A product as fans and operators see it; <c>Available</c> is stock neither reserved nor sold and, for a bundle, no
/// more than its parts allow (so <c>stock = available + reserved + sold</c> holds for every product but a bundle).
/// </summary>
public sealed record ProductResponse(
    Guid Id,
    string Sku,
    string Name,
    string Artist,
    string? Description,
    decimal Price,
    string Currency,
    int Stock,
    int Reserved,
    int Sold,
    int Available,
    bool SoldOut,
    int LimitPerFan,
    DateTimeOffset? ReleaseAt,
    bool Released,
    DateTimeOffset ListedAt,
    int Version,
    WaitingRoom? WaitingRoom,
    ProductNames? Names)
{
    /// <summary><c>product</c> or <c>variant</c>: what <c>limitPerFan</c> counts.</summary>
    public string LimitScope { get; init; } = "product";

    public IReadOnlyList<VariantResponse> Variants { get; init; } = [];

    public InclusionResponse? Inclusion { get; init; }

    /// <summary>For a bundle: its parts.</summary>
    public IReadOnlyList<BundlePart> Components { get; init; } = [];

    public IReadOnlyList<ImageReference> Images { get; init; } = [];

    /// <summary>Only the winners of its lucky draw may buy it (see <c>/api/queue/lucky-draws</c>).</summary>
    public bool SoldByLuckyDraw { get; init; }

    /// <summary>The product as shown; <paramref name="parts"/> are a bundle's parts (for none given, its own stock alone counts).</summary>
    public static ProductResponse From(Product product, DateTimeOffset now, IReadOnlyDictionary<Guid, Product>? parts = null) =>
        From(product, now, parts is null ? product.Available : product.BuyableWith(parts));

    private static ProductResponse From(Product product, DateTimeOffset now, int available) => new(
        product.Id,
        product.Sku,
        product.Name,
        product.Artist,
        product.Description,
        product.Price,
        product.Currency,
        product.Stock,
        product.Reserved,
        product.Sold,
        available,
        available == 0,
        product.LimitPerFan,
        product.ReleaseAt,
        product.IsReleased(now),
        product.ListedAt,
        product.Version,
        product.WaitingRoom,
        product.Names)
    {
        LimitScope = product.LimitScope == Products.LimitScope.Variant ? "variant" : "product",
        Variants = product.Variants
            .Select(variant => new VariantResponse(variant.Code, variant.Sku, variant.Name, variant.Stock, variant.Reserved, variant.Sold, variant.Available, variant.Available == 0))
            .ToList(),
        Inclusion = product.InclusionName is null
            ? null
            : new InclusionResponse(
                product.InclusionName,
                product.Inclusions.Sum(item => item.Left),
                product.Inclusions.Select(item => new InclusionItemResponse(item.Code, item.Name, item.Count, item.Left)).ToList()),
        Components = product.Components,
        SoldByLuckyDraw = product.SoldByLuckyDraw,
        Images = product.Images.Select(image => ImageReference.For(image.ImageId, image.Variant)).ToList(),
    };
}

public sealed record VariantResponse(string Code, string Sku, string Name, int Stock, int Reserved, int Sold, int Available, bool SoldOut);

/// <summary>A random-inclusion pool: how many of each item are left to draw.</summary>
public sealed record InclusionResponse(string Name, int Left, IReadOnlyList<InclusionItemResponse> Items);

public sealed record InclusionItemResponse(string Code, string Name, int Count, int Left);

/// <summary>A picture: its id and the address that serves it (add <c>?width=</c> for a smaller one).</summary>
public sealed record ImageReference(Guid Id, string? Variant, string Url)
{
    public static ImageReference For(Guid id, string? variant) => new(id, variant, $"/api/catalog/images/{id}");
}
