namespace Ticketing.Contracts.Tickets;

/// <summary>
/// Command to Tickets from Orders: the order naming this hold was cancelled (or, <c>WasSold</c>, refunded after it was
/// paid): its seats go back on sale and any tickets are voided. <c>Reason</c> is the order's cancellation reason.
/// </summary>
public sealed record ReturnHold(Guid OrderId, Guid HoldId, string FanId, string Reason, bool WasSold);
