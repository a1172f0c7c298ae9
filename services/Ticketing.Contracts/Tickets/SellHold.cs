namespace Ticketing.Contracts.Tickets;

/// <summary>
/// Command to Tickets from Orders: the order that checked this hold out was paid; sell its seats and issue the
/// tickets (answered by <see cref="TicketsIssued"/>). Sent only for orders with a hold, so Tickets hears nothing of
/// merch-only orders.
/// </summary>
public sealed record SellHold(Guid OrderId, Guid HoldId, string FanId);
