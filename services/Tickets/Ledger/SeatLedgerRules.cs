using Ticketing.Contracts.Tickets;
using Ticketing.Tickets.Admission;
using Ticketing.Tickets.Holds;
using Ticketing.Tickets.Shared;

namespace Ticketing.Tickets.Ledger;

/// <summary>
/// The rules of a concert's seats as pure decisions: the ledger's state, a command and the time in; the changes to
/// append and the answer out. They know nothing of batches, retries or storage: the writer applies each decision's
/// changes before deciding the next command, so every command sees the ones decided before it.
/// </summary>
public static class SeatLedgerRules
{
    public static LedgerDecision Decide(SeatLedger ledger, LedgerCommand command, DateTimeOffset now) => command switch
    {
        PlaceHold place => Place(ledger, place, now),
        ReleaseHold release => Release(ledger, release, now),
        ExpireHolds => Expire(ledger, now),
        CheckOutHold checkOut => CheckOut(ledger, checkOut.Request, now),
        SellCheckedOutHold sell => Sell(ledger, sell, now),
        CancelHoldOrder cancel => Cancel(ledger, cancel, now),
        CheckInTicket checkIn => CheckIn(ledger, checkIn.Claims, now),
        StopSales stop => Stop(ledger, stop, now),
        ReadLedger => LedgerDecision.Answer(Done.Instance),
        _ => throw new ArgumentException($"Unknown command {command.GetType().Name}", nameof(command)),
    };

    /// <summary>
    /// Specific seats if every one is available, or the best available seats of a tier; never past the fan's limit,
    /// never before the sale opens or after it stopped.
    /// </summary>
    public static LedgerDecision Place(SeatLedger ledger, PlaceHold command, DateTimeOffset now)
    {
        if (command.Requester.IsCancellationRequested)
        {
            return LedgerDecision.Answer(new HoldOutcome.Withdrawn());
        }

        if (ledger.SalesStopped)
        {
            return LedgerDecision.Answer(new HoldOutcome.SalesStopped());
        }

        if (now < ledger.SaleOpensAt)
        {
            return LedgerDecision.Answer(new HoldOutcome.NotOpenYet(ledger.SaleOpensAt));
        }

        var selection = command.Selection;
        var quantity = selection.SeatIds?.Count ?? selection.Quantity!.Value;
        var already = ledger.SeatsOf(command.FanId);
        if (already + quantity > ledger.TicketLimitPerFan)
        {
            return LedgerDecision.Answer(new HoldOutcome.OverLimit(ledger.TicketLimitPerFan, already, quantity));
        }

        IReadOnlyList<int> seats;
        if (selection.SeatIds is { } seatIds)
        {
            var taken = seatIds.Where(seatId => ledger.StatusOf(ledger.Layout.IndexOf[seatId]) != SeatStatus.Available).ToList();
            if (taken.Count > 0)
            {
                return LedgerDecision.Answer(new HoldOutcome.SeatsTaken(taken));
            }

            seats = seatIds.Select(seatId => ledger.Layout.IndexOf[seatId]).ToList();
        }
        else if (ledger.ChooseBest(selection.Tier!, quantity) is { } best)
        {
            seats = best;
        }
        else
        {
            return LedgerDecision.Answer(new HoldOutcome.NotEnoughSeats(selection.Tier!, quantity));
        }

        var placed = new PlacedHold(command.HoldId, command.FanId, seats.Select(ledger.Layout.HeldSeat).ToList(), now, now + command.Duration);
        return new LedgerDecision([placed], new HoldOutcome.Placed(placed));
    }

    /// <summary>Only the fan's own hold, and only before checkout; releasing a released hold changes nothing.</summary>
    public static LedgerDecision Release(SeatLedger ledger, ReleaseHold command, DateTimeOffset now)
    {
        if (ledger.Hold(command.HoldId) is not { } hold || hold.FanId != command.FanId)
        {
            return LedgerDecision.Answer(ReleaseOutcome.NotFound);
        }

        return hold.Status switch
        {
            HoldStatus.Held => new LedgerDecision([Released(ledger, hold, command.Reason, now)], ReleaseOutcome.Released),
            HoldStatus.Released or HoldStatus.Expired => LedgerDecision.Answer(ReleaseOutcome.Released),
            _ => LedgerDecision.Answer(ReleaseOutcome.InCheckout),
        };
    }

    /// <summary>Holds past their time that no order has checked out.</summary>
    public static LedgerDecision Expire(SeatLedger ledger, DateTimeOffset now)
    {
        var expired = ledger.Holds
            .Where(hold => hold.Status == HoldStatus.Held && hold.ExpiresAt <= now)
            .OrderBy(hold => hold.ExpiresAt)
            .Select(hold => (object)Released(ledger, hold, ReleaseReasons.Expired, now))
            .ToList();
        return new LedgerDecision(expired, expired.Count);
    }

    /// <summary>
    /// The hold becomes the order's and stops expiring, if it is the order's fan's, still held and in time. A repeat for
    /// the same order gets the same answer.
    /// </summary>
    public static LedgerDecision CheckOut(SeatLedger ledger, ConfirmHold request, DateTimeOffset now)
    {
        if (ledger.Hold(request.HoldId) is not { } hold)
        {
            return LedgerDecision.Answer(Rejected(request, HoldRejectionReasons.Unknown, now));
        }

        if (hold.FanId != request.FanId)
        {
            return LedgerDecision.Answer(Rejected(request, HoldRejectionReasons.NotYours, now));
        }

        if (hold.OrderId == request.OrderId && hold.Status is HoldStatus.CheckedOut or HoldStatus.Sold)
        {
            return LedgerDecision.Answer(Confirmed(ledger, request, hold, now));
        }

        switch (hold.Status)
        {
            case HoldStatus.CheckedOut or HoldStatus.Sold or HoldStatus.Refunded:
                return LedgerDecision.Answer(Rejected(request, HoldRejectionReasons.AlreadyCheckedOut, now));
            case HoldStatus.Expired:
                return LedgerDecision.Answer(Rejected(request, HoldRejectionReasons.Expired, now));
            case HoldStatus.Released:
                return LedgerDecision.Answer(Rejected(request, HoldRejectionReasons.Unknown, now));
        }

        if (hold.ExpiresAt <= now)
        {
            return new LedgerDecision([Released(ledger, hold, ReleaseReasons.Expired, now)], Rejected(request, HoldRejectionReasons.Expired, now));
        }

        if (ledger.SalesStopped)
        {
            return LedgerDecision.Answer(Rejected(request, HoldRejectionReasons.SalesStopped, now));
        }

        return new LedgerDecision([new CheckedOutHold(hold.Id, request.OrderId, now)], Confirmed(ledger, request, hold, now));
    }

    /// <summary>
    /// The order that checked the hold out (or, for a hold not yet checked out, any order) buys its seats: one ticket per
    /// seat, with ids derived from the hold and the seat, so a repeated sale issues nothing new. A sale that comes after
    /// the same order's refund (which overtook it, see <see cref="Cancel"/>) was already made by that refund.
    /// </summary>
    public static LedgerDecision Sell(SeatLedger ledger, SellCheckedOutHold command, DateTimeOffset now)
    {
        if (ledger.Hold(command.HoldId) is not { } hold)
        {
            return LedgerDecision.Answer(new SaleOutcome.NotSellable(null));
        }

        if (hold.Status is HoldStatus.Sold or HoldStatus.Refunded && hold.OrderId == command.OrderId)
        {
            return LedgerDecision.Answer(new SaleOutcome.AlreadySold());
        }

        if (hold.Status is not (HoldStatus.CheckedOut or HoldStatus.Held) || (hold.OrderId is { } owner && owner != command.OrderId))
        {
            return LedgerDecision.Answer(new SaleOutcome.NotSellable(hold.Status));
        }

        var sale = Sale(ledger, hold, command.OrderId, now);
        return new LedgerDecision([sale], new SaleOutcome.Sold(sale));
    }

    /// <summary>
    /// Only the order that checked the hold out, or before checkout an order of the hold's own fan, may give it back:
    /// an unpaid hold's seats go back on sale; a sold one is refunded (tickets void, seats back). A refund of a paid
    /// order whose sale has not come yet (it comes on a queue of its own) sells and refunds the hold at once, so the
    /// tickets are issued and voided as if the messages had come in order, and the late sale finds it done.
    /// </summary>
    public static LedgerDecision Cancel(SeatLedger ledger, CancelHoldOrder command, DateTimeOffset now)
    {
        if (ledger.Hold(command.HoldId) is not { } hold || (hold.OrderId is { } owner ? owner != command.OrderId : hold.FanId != command.FanId))
        {
            return LedgerDecision.Answer(Done.Instance);
        }

        switch (hold.Status)
        {
            case HoldStatus.Held or HoldStatus.CheckedOut when command.WasSold:
                var sale = Sale(ledger, hold, command.OrderId, now);
                return new LedgerDecision([sale, Refunded(ledger, hold, command, sale.Tickets.Select(ticket => ticket.TicketId), now)], Done.Instance);
            case HoldStatus.Held or HoldStatus.CheckedOut:
                return new LedgerDecision([Released(ledger, hold, ReleaseReasons.OrderCancelled, now)], Done.Instance);
            case HoldStatus.Sold:
                return new LedgerDecision([Refunded(ledger, hold, command, hold.Tickets.Select(ticket => ticket.TicketId), now)], Done.Instance);
            default:
                return LedgerDecision.Answer(Done.Instance);
        }
    }

    /// <summary>
    /// A genuine code is still checked against what was sold: the ticket must be one of this concert's, for the seat
    /// and holder the code names, valid and not scanned before. The first scan wins; every later one is refused.
    /// </summary>
    public static LedgerDecision CheckIn(SeatLedger ledger, TicketClaims claims, DateTimeOffset now)
    {
        if (claims.ConcertId != ledger.ConcertId)
        {
            return LedgerDecision.Answer(new CheckInOutcome.Refused(CheckInRefusals.WrongConcert, "This ticket is for another concert."));
        }

        if (ledger.Ticket(claims.TicketId) is not { } ticket)
        {
            return LedgerDecision.Answer(new CheckInOutcome.Refused(CheckInRefusals.UnknownTicket, "No ticket was issued with this code."));
        }

        var seatId = ledger.Layout.Seats[ticket.Seat].SeatId;
        if (seatId != claims.SeatId || ticket.FanId != claims.FanId)
        {
            return LedgerDecision.Answer(new CheckInOutcome.Refused(CheckInRefusals.CodeMismatch, "The code does not match the ticket that was sold."));
        }

        return ticket.Status switch
        {
            TicketStatus.Voided => LedgerDecision.Answer(new CheckInOutcome.Refused(CheckInRefusals.Voided, $"This ticket was voided ({ticket.VoidReason}).")),
            TicketStatus.CheckedIn => LedgerDecision.Answer(new CheckInOutcome.Refused(
                CheckInRefusals.AlreadyCheckedIn, $"This ticket was scanned at {ticket.CheckedInAt:HH:mm:ss} UTC.")),
            _ => new LedgerDecision([new CheckedInTicket(ticket.Id, now)], new CheckInOutcome.Admitted(ticket, seatId, now)),
        };
    }

    /// <summary>A called-off concert sells nothing more, and every valid ticket is void. Stopping twice changes nothing.</summary>
    public static LedgerDecision Stop(SeatLedger ledger, StopSales command, DateTimeOffset now) =>
        ledger.SalesStopped
            ? LedgerDecision.Answer(Done.Instance)
            : new LedgerDecision(
                [new ConcertSalesStopped(ledger.ConcertId, command.Reason, ledger.Tickets.Where(ticket => ticket.Status != TicketStatus.Voided).Select(ticket => ticket.Id).ToList(), now)],
                Done.Instance);

    private static SoldHold Sale(SeatLedger ledger, LedgerHold hold, Guid orderId, DateTimeOffset now) =>
        new(hold.Id,
            orderId,
            hold.FanId,
            hold.Seats.Select(seat => ledger.Layout.HeldSeat(seat))
                .Select(seat => new SoldSeat(StreamKeys.Ticket(hold.Id, seat.SeatId), seat.SeatId, seat.Tier, seat.Price, seat.Currency))
                .ToList(),
            now);

    private static RefundedHold Refunded(SeatLedger ledger, LedgerHold hold, CancelHoldOrder command, IEnumerable<Guid> ticketIds, DateTimeOffset now) =>
        new(hold.Id, command.OrderId, hold.FanId, SeatIds(ledger, hold), ticketIds.ToList(), command.Reason, now);

    private static ReleasedHold Released(SeatLedger ledger, LedgerHold hold, string reason, DateTimeOffset now) =>
        new(hold.Id, hold.FanId, SeatIds(ledger, hold), reason, now);

    private static List<string> SeatIds(SeatLedger ledger, LedgerHold hold) => hold.Seats.Select(seat => ledger.Layout.Seats[seat].SeatId).ToList();

    private static HoldRejected Rejected(ConfirmHold request, string reason, DateTimeOffset now) =>
        new(request.OrderId, request.HoldId, request.FanId, reason, now);

    private static HoldConfirmed Confirmed(SeatLedger ledger, ConfirmHold request, LedgerHold hold, DateTimeOffset now) =>
        new(request.OrderId, hold.Id, hold.FanId, ledger.ConcertId, hold.Seats.Select(ledger.Layout.HeldSeat).ToList(), now);
}
