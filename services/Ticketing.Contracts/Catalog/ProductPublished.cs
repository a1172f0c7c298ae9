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
    DateTimeOffset PublishedAt);
