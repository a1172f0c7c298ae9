using JasperFx.Events;
using Marten;
using Ticketing.Contracts.Tickets;
using Ticketing.Tickets.Admission;
using Ticketing.Tickets.Inventory;
using Ticketing.Tickets.Seats;
using Ticketing.ServiceDefaults.Persistence;
using Ticketing.Tickets.Shared;

namespace Ticketing.Tickets.Holds;

/// <summary>
/// Every change to seats goes through here: holds, releases, expiry, checkout, sale, refund. Each change
/// appends to the streams of the seats it touches, the hold's stream and the fan's allowance stream in one
/// transaction, each at the version it was read at. A concurrent change to any of them makes the save fail
/// as a whole; the operation is then decided again on fresh state (a few times), so a seat is never in two
/// holds and a fan never passes the limit, however many instances and requests race.
/// </summary>
public sealed partial class SeatBook(
    ISessionFactory sessions,
    ConcertInventories inventories,
    HoldDesk desk,
    TicketCodes codes,
    TimeProvider time,
    ILogger<SeatBook> logger)
{
    private const int Attempts = 8;

    /// <summary>Places a hold on a concert whose inventory the caller has just read (and validated the request against).</summary>
    public async Task<HoldOutcome> PlaceAsync(InventoryView inventory, string fanId, HoldSelection selection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (inventory.SalesStopped)
        {
            return new HoldOutcome.SalesStopped();
        }

        if (now < inventory.SaleOpensAt)
        {
            return new HoldOutcome.NotOpenYet(inventory.SaleOpensAt);
        }

        return await desk.PlaceAsync(inventory, fanId, selection, cancellationToken);
    }

    /// <summary>The fan lets the seats go. False when the hold is not theirs (or does not exist).</summary>
    public async Task<ReleaseOutcome> ReleaseAsync(Guid holdId, string fanId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            await using var session = sessions.OpenSession();
            var hold = await session.Events.FetchForWriting<Hold>(holdId, cancellationToken);
            if (hold.Aggregate is not { } current || current.FanId != fanId)
            {
                return ReleaseOutcome.NotFound;
            }

            switch (current.Status)
            {
                case HoldStatus.Released or HoldStatus.Expired:
                    return ReleaseOutcome.Released;
                case HoldStatus.CheckedOut or HoldStatus.Sold or HoldStatus.Refunded:
                    return ReleaseOutcome.InCheckout;
            }

            var now = time.GetUtcNow();
            hold.AppendOne(new HoldReleased(holdId, current.ConcertId, current.FanId, SeatIdsOf(current), "released", now));
            await GiveBackSeatsAsync(session, current, cancellationToken);
            if (await TrySaveAsync(session, cancellationToken))
            {
                SeatsFreed(current);
                return ReleaseOutcome.Released;
            }
        }

        throw new InvalidOperationException($"Hold {holdId} kept changing while being released.");
    }

    /// <summary>Frees a hold whose time ran out. Idempotent; does nothing to a hold in checkout.</summary>
    public async Task<bool> ExpireAsync(Guid holdId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            await using var session = sessions.OpenSession();
            var hold = await session.Events.FetchForWriting<Hold>(holdId, cancellationToken);
            var now = time.GetUtcNow();
            if (hold.Aggregate is not { Status: HoldStatus.Held } current || current.ExpiresAt > now)
            {
                return false;
            }

            hold.AppendOne(new HoldExpired(holdId, current.ConcertId, current.FanId, SeatIdsOf(current), now));
            await GiveBackSeatsAsync(session, current, cancellationToken);
            if (await TrySaveAsync(session, cancellationToken))
            {
                SeatsFreed(current);
                return true;
            }
        }

        return false; // left for the next scan
    }

    /// <summary>Checkout: the hold becomes the order's and stops expiring. Returns the answer to send.</summary>
    public async Task<object> CheckOutAsync(ConfirmHold request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            await using var session = sessions.OpenSession();
            var hold = await session.Events.FetchForWriting<Hold>(request.HoldId, cancellationToken);
            var now = time.GetUtcNow();
            if (hold.Aggregate is not { } current)
            {
                return Rejected(request, HoldRejectionReasons.Unknown, now);
            }

            if (current.FanId != request.FanId)
            {
                return Rejected(request, HoldRejectionReasons.NotYours, now);
            }

            if (current.OrderId == request.OrderId && current.Status is HoldStatus.CheckedOut or HoldStatus.Sold)
            {
                return Confirmed(request, current, now); // a redelivered request: same answer
            }

            switch (current.Status)
            {
                case HoldStatus.CheckedOut or HoldStatus.Sold or HoldStatus.Refunded:
                    return Rejected(request, HoldRejectionReasons.AlreadyCheckedOut, now);
                case HoldStatus.Expired:
                    return Rejected(request, HoldRejectionReasons.Expired, now);
                case HoldStatus.Released:
                    return Rejected(request, HoldRejectionReasons.Unknown, now);
            }

            if (current.ExpiresAt <= now)
            {
                await ExpireAsync(current.Id, cancellationToken);
                return Rejected(request, HoldRejectionReasons.Expired, now);
            }

            if ((await inventories.GetAsync(current.ConcertId, cancellationToken))?.SalesStopped != false)
            {
                return Rejected(request, HoldRejectionReasons.SalesStopped, now);
            }

            hold.AppendOne(new HoldCheckedOut(current.Id, request.OrderId, now));
            if (await TrySaveAsync(session, cancellationToken))
            {
                return Confirmed(request, current, now);
            }
        }

        throw new InvalidOperationException($"Hold {request.HoldId} kept changing during checkout.");
    }

    /// <summary>The order was paid: seats sold, one signed ticket per seat. Idempotent.</summary>
    public async Task SellAsync(Guid holdId, Guid orderId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            await using var session = sessions.OpenSession();
            var hold = await session.Events.FetchForWriting<Hold>(holdId, cancellationToken);
            if (hold.Aggregate is not { } current || current.Status == HoldStatus.Sold)
            {
                return;
            }

            if (current.Status is not (HoldStatus.CheckedOut or HoldStatus.Held) || (current.OrderId is { } owner && owner != orderId))
            {
                LogCannotSell(logger, holdId, orderId, current.Status);
                return;
            }

            var now = time.GetUtcNow();
            var (rows, rowOf) = await RowsOfAsync(session, current, cancellationToken);
            var sold = new List<SoldSeat>();
            foreach (var held in current.Seats)
            {
                var ticketId = Guid.CreateVersion7();
                sold.Add(new SoldSeat(ticketId, held.SeatId, held.Tier, held.Price, held.Currency));
                session.Events.StartStream<Ticket>(ticketId, new TicketIssued(
                    ticketId, current.ConcertId, held.SeatId, current.FanId, holdId, orderId, held.Tier, held.Price, held.Currency,
                    codes.Issue(new TicketClaims(ticketId, current.ConcertId, held.SeatId, current.FanId)), now));
            }

            foreach (var inRow in sold.GroupBy(seat => rowOf[seat.SeatId]))
            {
                rows[inRow.Key].AppendOne(new RowSeatsSold(inRow.Key, holdId, inRow.Select(seat => new RowTicket(seat.SeatId, seat.TicketId)).ToList()));
            }

            hold.AppendOne(new HoldSold(holdId, orderId, current.ConcertId, current.FanId, sold, now));
            if (await TrySaveAsync(session, cancellationToken))
            {
                return;
            }
        }

        throw new InvalidOperationException($"Hold {holdId} kept changing while being sold.");
    }

    /// <summary>
    /// The order was cancelled: an unpaid hold's seats go back; a sold one is refunded (tickets void, seats back).
    /// Idempotent.
    /// </summary>
    public async Task CancelAsync(Guid holdId, Guid orderId, string fanId, string reason, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            await using var session = sessions.OpenSession();
            var hold = await session.Events.FetchForWriting<Hold>(holdId, cancellationToken);

            // Only the order that checked the hold out — or, before checkout, an order of the hold's own fan —
            // may give it back: someone else's order naming this hold must not free its seats.
            if (hold.Aggregate is not { } current || (current.OrderId is { } owner ? owner != orderId : current.FanId != fanId))
            {
                return;
            }

            var now = time.GetUtcNow();
            switch (current.Status)
            {
                case HoldStatus.Held or HoldStatus.CheckedOut:
                    hold.AppendOne(new HoldReleased(holdId, current.ConcertId, current.FanId, SeatIdsOf(current), "order_cancelled", now));
                    await GiveBackSeatsAsync(session, current, cancellationToken);
                    break;
                case HoldStatus.Sold:
                    hold.AppendOne(new HoldRefunded(holdId, current.ConcertId, current.FanId, SeatIdsOf(current), reason, now));
                    foreach (var ticket in current.Tickets)
                    {
                        var stream = await session.Events.FetchForWriting<Ticket>(ticket.TicketId, cancellationToken);
                        if (stream.Aggregate is { Status: not TicketStatus.Voided })
                        {
                            stream.AppendOne(new TicketVoided(ticket.TicketId, current.ConcertId, "refunded", now));
                        }
                    }

                    await GiveBackSeatsAsync(session, current, cancellationToken);
                    break;
                default:
                    return;
            }

            if (await TrySaveAsync(session, cancellationToken))
            {
                SeatsFreed(current);
                return;
            }
        }

        throw new InvalidOperationException($"Hold {holdId} kept changing while being cancelled.");
    }

    /// <summary>Tells this instance's hold desk that the hold's seats are back on sale.</summary>
    private void SeatsFreed(Hold hold) => desk.SeatsChanged(hold.ConcertId, SeatIdsOf(hold), free: true);

    /// <summary>Seats of the hold become available again and stop counting against the fan's limit.</summary>
    private async Task GiveBackSeatsAsync(IDocumentSession session, Hold hold, CancellationToken cancellationToken)
    {
        var (rows, _) = await RowsOfAsync(session, hold, cancellationToken);
        var heldSeatIds = SeatIdsOf(hold).ToHashSet(StringComparer.Ordinal);
        foreach (var row in rows.Values)
        {
            var ours = row.Aggregate?.Seats.Where(seat => seat.HoldId == hold.Id && heldSeatIds.Contains(seat.SeatId)).ToList() ?? [];
            if (ours.Where(seat => seat.Status == SeatStatus.Sold).Select(seat => seat.SeatId).ToList() is { Count: > 0 } sold)
            {
                row.AppendOne(new RowSeatsReturned(row.Id, sold));
            }

            if (ours.Where(seat => seat.Status == SeatStatus.Held).Select(seat => seat.SeatId).ToList() is { Count: > 0 } held)
            {
                row.AppendOne(new RowSeatsReleased(row.Id, hold.Id, held));
            }
        }

        var allowance = await session.Events.FetchForWriting<FanAllowance>(StreamKeys.FanAllowance(hold.ConcertId, hold.FanId), cancellationToken);
        allowance.AppendOne(new FanSeatsGivenBack(hold.Id, hold.Seats.Count));
    }

    /// <summary>The rows of the hold's seats, read for writing, and the row of each seat.</summary>
    private async Task<(Dictionary<Guid, IEventStream<SeatRow>> Rows, IReadOnlyDictionary<string, Guid> RowOf)> RowsOfAsync(
        IDocumentSession session, Hold hold, CancellationToken cancellationToken)
    {
        var inventory = await inventories.GetAsync(hold.ConcertId, cancellationToken)
            ?? throw new InvalidOperationException($"Hold {hold.Id} names concert {hold.ConcertId}, which has no inventory.");
        var rowOf = inventory.RowOfSeat;
        var rows = await session.Events.FetchManyForWriting<SeatRow>(hold.Seats.Select(seat => rowOf[seat.SeatId]).Distinct().ToList(), cancellationToken);
        return (rows.ToDictionary(row => row.Id), rowOf);
    }

    internal static async Task<bool> TrySaveAsync(IDocumentSession session, CancellationToken cancellationToken)
    {
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (Conflicts.IsConcurrencyConflict(exception))
        {
            return false;
        }
    }

    private static List<string> SeatIdsOf(Hold hold) => hold.Seats.Select(seat => seat.SeatId).ToList();

    private static HoldRejected Rejected(ConfirmHold request, string reason, DateTimeOffset now) =>
        new(request.OrderId, request.HoldId, request.FanId, reason, now);

    private static HoldConfirmed Confirmed(ConfirmHold request, Hold hold, DateTimeOffset now) =>
        new(request.OrderId, hold.Id, hold.FanId, hold.ConcertId, hold.Seats, now);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hold {HoldId} cannot be sold to order {OrderId}: it is {Status}")]
    private static partial void LogCannotSell(ILogger logger, Guid holdId, Guid orderId, HoldStatus status);
}

public enum ReleaseOutcome
{
    Released,
    NotFound,
    InCheckout,
}
