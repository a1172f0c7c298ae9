using Ticketing.Catalog.Shared;

namespace Ticketing.Catalog.Products;

/// <summary>A product as fans and operators see it; <c>Available</c> is stock neither reserved nor sold.</summary>
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
    public static ProductResponse From(Product product, DateTimeOffset now) => new(
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
        product.Available,
        product.Available == 0,
        product.LimitPerFan,
        product.ReleaseAt,
        product.IsReleased(now),
        product.ListedAt,
        product.Version,
        product.WaitingRoom,
        product.Names);
}
