using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;

namespace Ticketing.Orders.Orders;

// The order aggregate: one stream per order, and the checkout process is the sequence of its events.
// Every event names the order's fan and hold so that it says on its own whom it concerns.

public sealed record OrderItem(Guid ProductId, int Quantity, string? Variant = null);

public sealed record OrderPlaced(
    Guid OrderId,
    string FanId,
    Guid? HoldId,
    IReadOnlyList<OrderItem> Items,
    string PaymentToken,
    string CardLast4,
    DateTimeOffset PlacedAt,
    DateTimeOffset Deadline);

public sealed record SeatsSecured(Guid OrderId, Guid ConcertId, IReadOnlyList<HeldSeat> Seats, DateTimeOffset SecuredAt);

public sealed record MerchReserved(Guid OrderId, IReadOnlyList<ReservedStockLine> Lines, DateTimeOffset ReservedAt);

public sealed record PaymentAuthorized(Guid OrderId, string AuthorizationId, decimal Amount, string Currency, DateTimeOffset AuthorizedAt);

public sealed record PaymentDeclined(Guid OrderId, string DeclineCode, DateTimeOffset DeclinedAt);

public sealed record OrderConfirmed(Guid OrderId, string FanId, Guid? HoldId, decimal Total, string Currency, DateTimeOffset ConfirmedAt);

public sealed record OrderCancelled(Guid OrderId, string FanId, Guid? HoldId, string Reason, bool WasConfirmed, DateTimeOffset CancelledAt);

public sealed record PaymentRefunded(Guid OrderId, decimal Amount, string Currency, DateTimeOffset RefundedAt);

/// <summary>The Catalog drew the random inclusions of the order's sold units (a photocard per album).</summary>
public sealed record InclusionsDrawn(Guid OrderId, IReadOnlyList<OrderInclusion> Inclusions, DateTimeOffset DrawnAt);

/// <summary>One random item that came with one unit: from the pool <c>Pool</c> ("Photocard"), the item <c>ItemName</c> ("Mina").</summary>
public sealed record OrderInclusion(Guid ProductId, string? Variant, string Pool, string Item, string ItemName);

public enum OrderStatus
{
    Pending,
    Confirmed,
    Cancelled,
}

/// <summary>A line as the fan sees it: a seat or a product, with what it costs.</summary>
public sealed record OrderLine(string Kind, string Reference, string Description, int Quantity, decimal UnitPrice, string Currency, string? Variant = null)
{
    public decimal Amount => UnitPrice * Quantity;
}

public sealed record Order
{
    public Guid Id { get; init; }
    public required string FanId { get; init; }
    public Guid? HoldId { get; init; }
    public Guid? ConcertId { get; init; }
    public IReadOnlyList<OrderItem> Items { get; init; } = [];
    public required string PaymentToken { get; init; }
    public required string CardLast4 { get; init; }
    public OrderStatus Status { get; init; }
    public string? Reason { get; init; }
    public bool SeatsSecured { get; init; }
    public bool MerchReserved { get; init; }
    public IReadOnlyList<OrderLine> Lines { get; init; } = [];
    public string? AuthorizationId { get; init; }
    public bool Refunded { get; init; }

    /// <summary>The random items that came with the sold units; back in their pools once the order is refunded.</summary>
    public IReadOnlyList<OrderInclusion> Inclusions { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset Deadline { get; init; }
    public int Version { get; set; }

    public decimal Total => Lines.Sum(line => line.Amount);

    public string Currency => Lines.FirstOrDefault()?.Currency ?? "";

    /// <summary>Everything the order needs is held for it: time to take the payment.</summary>
    public bool ReadyToPay =>
        Status == OrderStatus.Pending && AuthorizationId is null && (HoldId is null || SeatsSecured) && (Items.Count == 0 || MerchReserved);

    public static Order Create(OrderPlaced placed) => new()
    {
        Id = placed.OrderId,
        FanId = placed.FanId,
        HoldId = placed.HoldId,
        Items = placed.Items,
        PaymentToken = placed.PaymentToken,
        CardLast4 = placed.CardLast4,
        Status = OrderStatus.Pending,
        CreatedAt = placed.PlacedAt,
        UpdatedAt = placed.PlacedAt,
        Deadline = placed.Deadline,
    };

    public Order Apply(SeatsSecured secured) => this with
    {
        SeatsSecured = true,
        ConcertId = secured.ConcertId,
        Lines = [.. secured.Seats.Select(seat => new OrderLine("seat", seat.SeatId, $"Seat {seat.SeatId} ({seat.Tier})", 1, seat.Price, seat.Currency)), .. Lines],
        UpdatedAt = secured.SecuredAt,
    };

    public Order Apply(MerchReserved reserved) => this with
    {
        MerchReserved = true,
        Lines = [.. Lines, .. reserved.Lines.Select(line => new OrderLine("merch", line.ProductId.ToString(), line.Name, line.Quantity, line.UnitPrice, line.Currency, line.Variant))],
        UpdatedAt = reserved.ReservedAt,
    };

    public Order Apply(PaymentAuthorized authorized) => this with { AuthorizationId = authorized.AuthorizationId, UpdatedAt = authorized.AuthorizedAt };

    public Order Apply(PaymentDeclined declined) => this with { UpdatedAt = declined.DeclinedAt };

    public Order Apply(OrderConfirmed confirmed) => this with { Status = OrderStatus.Confirmed, UpdatedAt = confirmed.ConfirmedAt };

    public Order Apply(OrderCancelled cancelled) => this with { Status = OrderStatus.Cancelled, Reason = cancelled.Reason, UpdatedAt = cancelled.CancelledAt };

    public Order Apply(PaymentRefunded refunded) => this with { Refunded = true, UpdatedAt = refunded.RefundedAt };

    public Order Apply(InclusionsDrawn drawn) => this with { Inclusions = drawn.Inclusions, UpdatedAt = drawn.DrawnAt };

    /// <summary>Folds any of the order's events, for deciding on state the session has not saved yet.</summary>
    public Order Apply(object @event) => @event switch
    {
        SeatsSecured e => Apply(e),
        MerchReserved e => Apply(e),
        PaymentAuthorized e => Apply(e),
        PaymentDeclined e => Apply(e),
        OrderConfirmed e => Apply(e),
        OrderCancelled e => Apply(e),
        PaymentRefunded e => Apply(e),
        InclusionsDrawn e => Apply(e),
        _ => throw new ArgumentException($"Not an order event: {@event.GetType().Name}", nameof(@event)),
    };
}

/// <summary>Why an order was cancelled, as its fan and the operators read it.</summary>
public static class CancellationReasons
{
    public const string PaymentDeclined = Ticketing.Contracts.Orders.OrderCancellationReasons.PaymentDeclined;
    public const string OutOfStock = Ticketing.Contracts.Orders.OrderCancellationReasons.OutOfStock;
    public const string LimitExceeded = Ticketing.Contracts.Orders.OrderCancellationReasons.LimitExceeded;
    public const string HoldExpired = Ticketing.Contracts.Orders.OrderCancellationReasons.HoldExpired;
    public const string HoldInvalid = Ticketing.Contracts.Orders.OrderCancellationReasons.HoldInvalid;
    public const string Timeout = Ticketing.Contracts.Orders.OrderCancellationReasons.Timeout;
    public const string Refunded = Ticketing.Contracts.Orders.OrderCancellationReasons.Refunded;
    public const string CancelledByOperator = Ticketing.Contracts.Orders.OrderCancellationReasons.CancelledByOperator;
    public const string CurrencyMismatch = Ticketing.Contracts.Orders.OrderCancellationReasons.CurrencyMismatch;
    public const string ConcertCancelled = Ticketing.Contracts.Orders.OrderCancellationReasons.ConcertCancelled;
}
