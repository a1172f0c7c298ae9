namespace Ticketing.Contracts.Orders;

/// <summary>A fan checked out: the order is Pending until it is confirmed or cancelled.</summary>
public sealed record OrderPlaced(Guid OrderId, string FanId, Guid? HoldId, IReadOnlyList<OrderedItem> Items, DateTimeOffset PlacedAt);

public sealed record OrderedItem(Guid ProductId, int Quantity)
{
    /// <summary>The variant's code, or null (added later).</summary>
    public string? Variant { get; init; }
}
