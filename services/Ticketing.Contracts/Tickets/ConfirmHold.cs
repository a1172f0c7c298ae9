namespace Ticketing.Contracts.Tickets;

/// <summary>
/// Command to Tickets from Orders at checkout: the fan wants to pay for this hold. Answered with
/// <see cref="HoldConfirmed"/> (the hold no longer expires while payment runs) or <see cref="HoldRejected"/>.
/// </summary>
public sealed record ConfirmHold(Guid OrderId, Guid HoldId, string FanId);
