using Ticketing.Contracts.Tickets;
using Ticketing.Tickets.Admission;
using Ticketing.Tickets.Holds;

namespace Ticketing.Tickets.Ledger;

/// <summary>What can be asked of a concert's seat ledger. Each is decided by <see cref="SeatLedgerRules"/>.</summary>
public abstract record LedgerCommand;

/// <summary>
/// A fan asks for seats. <paramref name="Requester"/> is the fan's request: a hold decided after it went away is not
/// placed, and one committed just as it went away is given back (<see cref="ReleaseReasons.Abandoned"/>).
/// </summary>
public sealed record PlaceHold(Guid HoldId, string FanId, HoldSelection Selection, TimeSpan Duration, CancellationToken Requester) : LedgerCommand;

/// <summary>The fan lets the hold go (<see cref="ReleaseReasons.Released"/>), or nobody heard of it (<see cref="ReleaseReasons.Abandoned"/>).</summary>
public sealed record ReleaseHold(Guid HoldId, string FanId, string Reason) : LedgerCommand;

/// <summary>Frees every hold whose time has run out and that is not in checkout.</summary>
public sealed record ExpireHolds : LedgerCommand;

/// <summary>Orders' checkout: the hold should become the order's. Answered with HoldConfirmed or HoldRejected.</summary>
public sealed record CheckOutHold(ConfirmHold Request) : LedgerCommand;

/// <summary>The order checking the hold out was paid.</summary>
public sealed record SellCheckedOutHold(Guid HoldId, Guid OrderId) : LedgerCommand;

/// <summary>
/// The order naming the hold was cancelled, or refunded after it was paid (<paramref name="WasSold"/>): a refund can
/// come before the order's own sale, which arrives on a queue of its own.
/// </summary>
public sealed record CancelHoldOrder(Guid HoldId, Guid OrderId, string FanId, string Reason, bool WasSold) : LedgerCommand;

/// <summary>A gate of this concert scans a ticket code whose signature checked out.</summary>
public sealed record CheckInTicket(TicketClaims Claims) : LedgerCommand;

/// <summary>The concert was called off.</summary>
public sealed record StopSales(string Reason) : LedgerCommand;

/// <summary>Asks for nothing: used to bring a reader's copy of the ledger up to date with other instances' writes.</summary>
public sealed record ReadLedger : LedgerCommand;

/// <summary>What a command decided: the changes to append (in order) and the answer for the caller.</summary>
public sealed record LedgerDecision(IReadOnlyList<object> Changes, object Outcome)
{
    public static LedgerDecision Answer(object outcome) => new([], outcome);
}

/// <summary>What became of a hold request; each case has its HTTP answer.</summary>
public abstract record HoldOutcome
{
    public sealed record Placed(PlacedHold Hold) : HoldOutcome;

    public sealed record SeatsTaken(IReadOnlyList<string> SeatIds) : HoldOutcome;

    public sealed record NotEnoughSeats(string Tier, int Quantity) : HoldOutcome;

    public sealed record OverLimit(int Limit, int AlreadyHeld, int Requested) : HoldOutcome;

    public sealed record NotOpenYet(DateTimeOffset OpensAt) : HoldOutcome;

    public sealed record SalesStopped : HoldOutcome;

    /// <summary>The request went away before it was decided: nothing was held.</summary>
    public sealed record Withdrawn : HoldOutcome;
}

public enum ReleaseOutcome
{
    Released,
    NotFound,
    InCheckout,
}

/// <summary>What a sale did: tickets issued now or before, or nothing (the hold is not the order's to sell).</summary>
public abstract record SaleOutcome
{
    public sealed record Sold(SoldHold Sale) : SaleOutcome;

    public sealed record AlreadySold : SaleOutcome;

    public sealed record NotSellable(HoldStatus? Status) : SaleOutcome;
}

/// <summary>A gate's scan: let in, or refused with a reason code.</summary>
public abstract record CheckInOutcome
{
    public sealed record Admitted(LedgerTicket Ticket, string SeatId, DateTimeOffset CheckedInAt) : CheckInOutcome;

    public sealed record Refused(string Reason, string Detail) : CheckInOutcome;
}

/// <summary>The reason codes of a refused scan, as the gate shows them.</summary>
public static class CheckInRefusals
{
    public const string UnknownTicket = "unknown_ticket";
    public const string WrongConcert = "wrong_concert";
    public const string CodeMismatch = "code_mismatch";
    public const string Voided = "voided";
    public const string AlreadyCheckedIn = "already_checked_in";
}

/// <summary>Nothing to answer.</summary>
public sealed record Done
{
    public static readonly Done Instance = new();
}
