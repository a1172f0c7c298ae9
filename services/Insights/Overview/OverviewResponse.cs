namespace Ticketing.Insights.Overview;

public sealed record OverviewResponse(
    DateTimeOffset GeneratedAt,
    long Version,
    OrderCounts Orders,
    PaymentCounts Payments,
    IReadOnlyList<Amount> Revenue,
    SeatCounts Tickets,
    MerchCounts Merch,
    IReadOnlyList<ConcertSummary> Concerts,
    IReadOnlyList<ProductSummary> Products,
    IReadOnlyList<MinutePoint> PerMinute,
    IReadOnlyList<RecentOrder> RecentOrders,
    IReadOnlyList<RecentOrder> StuckOrders,
    IReadOnlyList<Alert> Alerts);

public sealed record OrderCounts(int Placed, int Confirmed, int Cancelled, int Refunded, int Pending, IReadOnlyDictionary<string, int> CancelledByReason);

public sealed record PaymentCounts(int Attempted, int Declined, double DeclineRate);

public sealed record Amount(string Currency, decimal Value);

public sealed record SeatCounts(int Capacity, int Held, int Sold, int Available);

public sealed record MerchCounts(int Stock, int Reserved, int Sold, int Available);

public sealed record TierSummary(string Code, string Name, decimal Price, string Currency, int Capacity, int Held, int Sold, int Available, decimal Revenue, double SellThrough, DateTimeOffset? SoldOutAt);

public sealed record SectionSummary(string Code, string Tier, int Capacity, int Held, int Sold, int Available, double SellThrough);

public sealed record ConcertSummary(
    Guid ConcertId,
    string Artist,
    string Title,
    string Venue,
    string City,
    string TimeZone,
    DateTimeOffset? StartsAt,
    DateTimeOffset? SaleOpensAt,
    bool Cancelled,
    int Capacity,
    int Held,
    int Sold,
    int Available,
    double SellThrough,
    decimal Revenue,
    string Currency,
    DateTimeOffset? SoldOutAt,
    IReadOnlyList<TierSummary> Tiers);

public sealed record ProductSummary(
    Guid ProductId,
    string Sku,
    string Name,
    string Artist,
    decimal Price,
    string Currency,
    int Stock,
    int Reserved,
    int Sold,
    int Returned,
    int Available,
    double SellThrough,
    decimal Revenue,
    DateTimeOffset? SoldOutAt);

public sealed record MinutePoint(DateTimeOffset Minute, int Placed, int Confirmed, int Cancelled, IReadOnlyDictionary<string, decimal> Revenue);

public sealed record RecentOrder(
    Guid OrderId,
    string FanId,
    string Status,
    string? Reason,
    string Description,
    decimal Total,
    string Currency,
    DateTimeOffset? PlacedAt,
    DateTimeOffset UpdatedAt);

/// <summary><c>Kind</c>: <c>concert_sold_out</c>, <c>tier_sold_out</c>, <c>product_sold_out</c>, <c>orders_stuck</c>.</summary>
public sealed record Alert(string Kind, string Severity, string Title, string Detail, DateTimeOffset At, Guid? SubjectId);

public sealed record ConcertInsightsResponse(ConcertSummary Concert, IReadOnlyList<SectionSummary> Sections, SeatMapResponse SeatMap, long Version);

/// <summary>Rows in seat-map order; <c>Statuses</c> has one letter per seat from number 1: <c>a</c>vailable, <c>h</c>eld, <c>s</c>old.</summary>
public sealed record SeatMapResponse(IReadOnlyList<SeatMapSection> Sections);

public sealed record SeatMapSection(string Code, string Tier, IReadOnlyList<SeatMapRow> Rows);

public sealed record SeatMapRow(string Label, string Statuses);

public sealed record ProductInsightsResponse(ProductSummary Product, IReadOnlyList<RecentOrder> RecentOrders, long Version);
