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

/// <summary>
/// The status of every taken seat of one section of a concert, for the heat map. One document per section, so that a
/// page of events rewrites only the sections it touched, not a stadium's 60,000 seats.
/// </summary>
public sealed class SectionSeatMap
{
    public string Id { get; set; } = "";
    public Guid ConcertId { get; set; }
    public string Section { get; set; } = "";
    public Dictionary<string, SeatMark> Seats { get; set; } = [];

    public static string IdOf(Guid concertId, string section) => $"{concertId:N}/{section}";

    public char StatusCode(string seatId) => Seats.TryGetValue(seatId, out var mark)
        ? mark.Status == SeatStatus.Sold ? 's' : 'h'
        : 'a';
}

/// <summary>
/// A release frees only seats that are still the releasing hold's, and a hold never undoes its own sale, so a
/// late message about an old hold cannot wipe out the seat's newer state.
/// </summary>
public sealed class SectionSeatMapProjection : MultiStreamProjection<SectionSeatMap, string>
{
    public SectionSeatMapProjection()
    {
        Identities<SeatsHeld>(e => Sections(e.ConcertId, e.Seats.Select(seat => seat.SeatId)));
        Identities<SeatsReleased>(e => Sections(e.ConcertId, e.SeatIds));
        Identities<TicketsIssued>(e => Sections(e.ConcertId, e.Tickets.Select(ticket => ticket.SeatId)));
    }

    private static List<string> Sections(Guid concertId, IEnumerable<string> seatIds) =>
        seatIds.Select(seatId => SectionSeatMap.IdOf(concertId, ConcertSales.SectionOf(seatId))).Distinct().ToList();

    public override SectionSeatMap? Evolve(SectionSeatMap? snapshot, string id, IEvent e)
    {
        if (e.Data is not (SeatsHeld or SeatsReleased or TicketsIssued))
        {
            return snapshot;
        }

        var map = snapshot ?? new SectionSeatMap { Id = id };
        bool Here(string seatId) => SectionSeatMap.IdOf(map.ConcertId, ConcertSales.SectionOf(seatId)) == id;
        switch (e.Data)
        {
            case SeatsHeld held:
                Locate(map, held.ConcertId);
                foreach (var seat in held.Seats.Where(seat => Here(seat.SeatId)))
                {
                    if (!(map.Seats.TryGetValue(seat.SeatId, out var mark) && mark.Hold == held.HoldId))
                    {
                        map.Seats[seat.SeatId] = new SeatMark(held.HoldId, SeatStatus.Held);
                    }
                }

                break;
            case TicketsIssued issued:
                Locate(map, issued.ConcertId);
                foreach (var ticket in issued.Tickets.Where(ticket => Here(ticket.SeatId)))
                {
                    map.Seats[ticket.SeatId] = new SeatMark(issued.HoldId, SeatStatus.Sold);
                }

                break;
            case SeatsReleased released:
                Locate(map, released.ConcertId);
                foreach (var seatId in released.SeatIds.Where(Here))
                {
                    if (map.Seats.TryGetValue(seatId, out var mark) && mark.Hold == released.HoldId)
                    {
                        map.Seats.Remove(seatId);
                    }
                }

                break;
        }

        return map;
    }

    /// <summary>A new section's document learns which concert and section it is from its first event.</summary>
    private static void Locate(SectionSeatMap map, Guid concertId)
    {
        if (map.ConcertId == Guid.Empty)
        {
            map.ConcertId = concertId;
        }

        if (map.Section.Length == 0)
        {
            map.Section = map.Id[(map.Id.IndexOf('/') + 1)..];
        }
    }
}
