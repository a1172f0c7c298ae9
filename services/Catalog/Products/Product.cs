using Ticketing.Catalog.Shared;

namespace Ticketing.Catalog.Products;

// The product aggregate: a merch item and its stock. Every unit is accounted for by events, so that
// Stock = Available + Reserved + Sold holds at every version of the stream.

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
    ProductNames? Names = null);

/// <summary>A product's names in other languages, each keyed by BCP 47 tag (see <see cref="LocalizedNames"/>); null: none given.</summary>
public sealed record ProductNames(IReadOnlyDictionary<string, string>? Artist, IReadOnlyDictionary<string, string>? Name);

public sealed record ProductRestocked(Guid ProductId, int Quantity, int StockAfter, DateTimeOffset RestockedAt);

public sealed record UnitsReserved(Guid ProductId, Guid OrderId, string FanId, int Quantity, DateTimeOffset ReservedAt);

public sealed record ReservedUnitsSold(Guid ProductId, Guid OrderId, int Quantity, DateTimeOffset SoldAt);

public sealed record ReservedUnitsReleased(Guid ProductId, Guid OrderId, int Quantity, DateTimeOffset ReleasedAt);

public sealed record SoldUnitsReturned(Guid ProductId, Guid OrderId, int Quantity, DateTimeOffset ReturnedAt);

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
    public DateTimeOffset? ReleaseAt { get; init; }

    /// <summary>The drop's waiting room (its sale opens at <see cref="ReleaseAt"/>), or null.</summary>
    public WaitingRoom? WaitingRoom { get; init; }

    /// <summary>The artist's and the product's names in other languages, or null.</summary>
    public ProductNames? Names { get; init; }
    public DateTimeOffset ListedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Units ever received (initial stock plus restocks, less nothing: returns go back to available).</summary>
    public int Stock { get; init; }
    public int Reserved { get; init; }
    public int Sold { get; init; }
    public int Available => Stock - Reserved - Sold;
    public int Version { get; set; }

    public bool IsReleased(DateTimeOffset now) => ReleaseAt is null || ReleaseAt <= now;

    public static Product Create(ProductListed listed) => new()
    {
        Id = listed.ProductId,
        Sku = listed.Sku,
        Name = listed.Name,
        Artist = listed.Artist,
        Description = listed.Description,
        Price = listed.Price,
        Currency = listed.Currency,
        Stock = listed.Stock,
        LimitPerFan = listed.LimitPerFan,
        ReleaseAt = listed.ReleaseAt,
        WaitingRoom = listed.WaitingRoom,
        Names = listed.Names,
        ListedAt = listed.ListedAt,
        UpdatedAt = listed.ListedAt,
    };

    public Product Apply(ProductRestocked restocked) =>
        this with { Stock = Stock + restocked.Quantity, UpdatedAt = restocked.RestockedAt };

    public Product Apply(UnitsReserved reserved) =>
        this with { Reserved = Reserved + reserved.Quantity, UpdatedAt = reserved.ReservedAt };

    public Product Apply(ReservedUnitsSold sold) =>
        this with { Reserved = Reserved - sold.Quantity, Sold = Sold + sold.Quantity, UpdatedAt = sold.SoldAt };

    public Product Apply(ReservedUnitsReleased released) =>
        this with { Reserved = Reserved - released.Quantity, UpdatedAt = released.ReleasedAt };

    public Product Apply(SoldUnitsReturned returned) =>
        this with { Sold = Sold - returned.Quantity, UpdatedAt = returned.ReturnedAt };
}
