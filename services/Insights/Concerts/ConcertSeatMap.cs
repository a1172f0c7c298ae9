using JasperFx.Events;
using Marten.Events.Projections;
using Ticketing.Contracts.Tickets;

namespace Ticketing.Insights.Concerts;

public enum SeatStatus
{
    Held,
    Sold,
}

/// <summary>Which hold has a seat now, and whether it is only held or sold. A seat not listed is available.</summary>
public sealed record SeatMark(Guid Hold, SeatStatus Status);

/// <summary>The status of every taken seat of one concert, for the heat map.</summary>
public sealed class ConcertSeatMap
{
    public Guid Id { get; set; }
    public Dictionary<string, SeatMark> Seats { get; set; } = [];

    public char StatusCode(string seatId) => Seats.TryGetValue(seatId, out var mark)
        ? mark.Status == SeatStatus.Sold ? 's' : 'h'
        : 'a';
}

/// <summary>
/// A release frees only seats that are still the releasing hold's, and a hold never undoes its own sale, so a
/// late message about an old hold cannot wipe out the seat's newer state.
/// </summary>
public sealed class ConcertSeatMapProjection : MultiStreamProjection<ConcertSeatMap, Guid>
{
    public ConcertSeatMapProjection()
    {
        Identity<SeatsHeld>(e => e.ConcertId);
        Identity<SeatsReleased>(e => e.ConcertId);
        Identity<TicketsIssued>(e => e.ConcertId);
    }

    public override ConcertSeatMap? Evolve(ConcertSeatMap? snapshot, Guid id, IEvent e)
    {
        if (e.Data is not (SeatsHeld or SeatsReleased or TicketsIssued))
        {
            return snapshot;
        }

        var map = snapshot ?? new ConcertSeatMap { Id = id };
        switch (e.Data)
        {
            case SeatsHeld held:
                foreach (var seat in held.Seats)
                {
                    if (!(map.Seats.TryGetValue(seat.SeatId, out var mark) && mark.Hold == held.HoldId))
                    {
                        map.Seats[seat.SeatId] = new SeatMark(held.HoldId, SeatStatus.Held);
                    }
                }

                break;
            case TicketsIssued issued:
                foreach (var ticket in issued.Tickets)
                {
                    map.Seats[ticket.SeatId] = new SeatMark(issued.HoldId, SeatStatus.Sold);
                }

                break;
            case SeatsReleased released:
                foreach (var seatId in released.SeatIds)
                {
                    if (map.Seats.TryGetValue(seatId, out var mark) && mark.Hold == released.HoldId)
                    {
                        map.Seats.Remove(seatId);
                    }
                }

                break;
            default:
                return snapshot;
        }

        return map;
    }
}
