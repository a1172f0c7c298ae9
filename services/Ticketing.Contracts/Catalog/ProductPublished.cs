namespace Ticketing.Contracts.Catalog;

/// <summary>A merch product was listed with its initial stock. <c>ReleaseAt</c> null means purchasable at once.</summary>
public sealed record ProductPublished(
    Guid ProductId,
    string Sku,
    string Name,
    string Artist,
    decimal Price,
    string Currency,
    int Stock,
    int LimitPerFan,
    DateTimeOffset? ReleaseAt,
    DateTimeOffset PublishedAt)
{
    /// <summary>
    /// The drop's waiting room (its sale opens at <c>ReleaseAt</c>); null when fans check out directly (added later:
    /// absent from older publishers).
    /// </summary>
    public WaitingRoom? WaitingRoom { get; init; }

    /// <summary>The product's names in other languages; null when there are none (added later: absent from older publishers).</summary>
    public ProductNames? Names { get; init; }

    /// <summary>The product's variants (album versions, sizes); empty for a product without (added later).</summary>
    public IReadOnlyList<PublishedVariant> Variants { get; init; } = [];

    /// <summary><c>product</c> (the limit counts every variant together) or <c>variant</c> (each variant on its own) (added later).</summary>
    public string LimitScope { get; init; } = "product";

    /// <summary>
    /// Only the winners of the product's lucky draw may buy it, each with the purchase right the Queue gives them (an
    /// admission pass for the product) (added later).
    /// </summary>
    public bool SoldByLuckyDraw { get; init; }

    /// <summary>For a bundle: the units of other products one bundle is made of; empty otherwise (added later).</summary>
    public IReadOnlyList<BundleComponent> Components { get; init; } = [];
}

public sealed record PublishedVariant(string Code, string Sku, string Name, int Stock);

public sealed record BundleComponent(Guid ProductId, string? Variant, int Quantity);
