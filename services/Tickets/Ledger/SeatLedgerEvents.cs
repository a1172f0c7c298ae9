using Ticketing.Contracts.Tickets;

namespace Ticketing.Tickets.Ledger;

// The events of a concert's seat ledger: one stream per concert, and one event per decided batch of one kind (a
// hundred holds placed together are one HoldsPlaced). The stream's version is the fence: every batch is appended at
// the version its decisions were made on, so a batch decided on a stale ledger cannot commit.

public sealed record HoldsPlaced(Guid ConcertId, IReadOnlyList<PlacedHold> Holds);

public sealed record PlacedHold(Guid HoldId, string FanId, IReadOnlyList<HeldSeat> Seats, DateTimeOffset PlacedAt, DateTimeOffset ExpiresAt);

/// <summary>Held seats went back on sale. Reasons: see <see cref="ReleaseReasons"/>.</summary>
public sealed record HoldsReleased(Guid ConcertId, IReadOnlyList<ReleasedHold> Holds);

public sealed record ReleasedHold(Guid HoldId, string FanId, IReadOnlyList<string> SeatIds, string Reason, DateTimeOffset ReleasedAt);

/// <summary>Checkout started: each hold belongs to its order and no longer expires.</summary>
public sealed record HoldsCheckedOut(Guid ConcertId, IReadOnlyList<CheckedOutHold> Holds);

public sealed record CheckedOutHold(Guid HoldId, Guid OrderId, DateTimeOffset CheckedOutAt);

/// <summary>Orders were paid: their seats are sold, one ticket per seat.</summary>
public sealed record HoldsSold(Guid ConcertId, IReadOnlyList<SoldHold> Holds);

public sealed record SoldHold(Guid HoldId, Guid OrderId, string FanId, IReadOnlyList<SoldSeat> Tickets, DateTimeOffset SoldAt);

public sealed record SoldSeat(Guid TicketId, string SeatId, string Tier, decimal Price, string Currency);

/// <summary>Sold holds were refunded: their tickets are void and their seats back on sale.</summary>
public sealed record HoldsRefunded(Guid ConcertId, IReadOnlyList<RefundedHold> Holds);

public sealed record RefundedHold(Guid HoldId, Guid OrderId, string FanId, IReadOnlyList<string> SeatIds, IReadOnlyList<Guid> TicketIds, string Reason, DateTimeOffset RefundedAt);

/// <summary>Ticket holders were let in at the concert's gates.</summary>
public sealed record TicketsCheckedIn(Guid ConcertId, IReadOnlyList<CheckedInTicket> Tickets);

public sealed record CheckedInTicket(Guid TicketId, DateTimeOffset CheckedInAt);

/// <summary>The concert was called off: nothing more is sold, and every ticket still valid is void.</summary>
public sealed record ConcertSalesStopped(Guid ConcertId, string Reason, IReadOnlyList<Guid> VoidedTicketIds, DateTimeOffset StoppedAt);

public static class ReleaseReasons
{
    /// <summary>The fan let the seats go.</summary>
    public const string Released = "released";

    public const string Expired = "expired";

    /// <summary>The order checking the hold out was cancelled before it was paid.</summary>
    public const string OrderCancelled = "order_cancelled";

    /// <summary>The fan's request went away (a gateway time-out, a closed connection) before hearing that it was held.</summary>
    public const string Abandoned = "abandoned";
}

/// <summary>Turns the changes of a batch, in decision order, into its events: each run of one kind becomes one event.</summary>
public static class SeatLedgerBatches
{
    public static IReadOnlyList<object> ToEvents(Guid concertId, IReadOnlyList<object> changes)
    {
        var events = new List<object>();
        foreach (var run in Runs(changes))
        {
            events.Add(run[0] switch
            {
                PlacedHold => new HoldsPlaced(concertId, [.. run.Cast<PlacedHold>()]),
                ReleasedHold => new HoldsReleased(concertId, [.. run.Cast<ReleasedHold>()]),
                CheckedOutHold => new HoldsCheckedOut(concertId, [.. run.Cast<CheckedOutHold>()]),
                SoldHold => new HoldsSold(concertId, [.. run.Cast<SoldHold>()]),
                RefundedHold => new HoldsRefunded(concertId, [.. run.Cast<RefundedHold>()]),
                CheckedInTicket => new TicketsCheckedIn(concertId, [.. run.Cast<CheckedInTicket>()]),
                ConcertSalesStopped stopped when run.Count == 1 => stopped,
                var other => throw new ArgumentException($"Not a seat ledger change: {other.GetType().Name}", nameof(changes)),
            });
        }

        return events;
    }

    private static IEnumerable<List<object>> Runs(IReadOnlyList<object> changes)
    {
        var run = new List<object>();
        foreach (var change in changes)
        {
            if (run.Count > 0 && (run[0].GetType() != change.GetType() || change is ConcertSalesStopped))
            {
                yield return run;
                run = [];
            }

            run.Add(change);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }
}
