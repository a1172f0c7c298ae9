namespace Ticketing.Contracts.Orders;

/// <summary>An order was paid and confirmed: held seats become sold and reserved stock is committed.</summary>
public sealed record OrderConfirmed(Guid OrderId, string FanId, Guid? HoldId, DateTimeOffset ConfirmedAt)
{
    /// <summary>What the fan paid (added later: absent, 0, from older publishers).</summary>
    public decimal Total { get; init; }

    public string Currency { get; init; } = "";
}
