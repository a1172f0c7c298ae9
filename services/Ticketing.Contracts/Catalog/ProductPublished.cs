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
}
