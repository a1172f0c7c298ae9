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
/// The status of every taken seat of one row of a concert, for the heat map. One small document per row: a page of
/// events rewrites only the rows it touched, a few hundred bytes each, not whole sections that grow as they sell (a
/// stadium section's document was rewritten at some 100 KB for every page of holds in it).
/// </summary>
public sealed class RowSeatMap
{
    public string Id { get; set; } = "";
    public Guid ConcertId { get; set; }
    public Dictionary<string, SeatMark> Seats { get; set; } = [];

    /// <summary>The document of row <paramref name="row"/> (<c>SECTION-ROW</c>) of the concert.</summary>
    public static string IdOfRow(Guid concertId, string row) => $"{concertId:N}/{row}";

    /// <summary>The document of the row of seat <paramref name="seatId"/> (<c>SECTION-ROW-NUMBER</c>).</summary>
    public static string IdOf(Guid concertId, string seatId) => IdOfRow(concertId, RowOf(seatId).ToString());

    /// <summary>Whether the seat is in this document's row.</summary>
    public bool Has(string seatId) => RowOf(seatId).SequenceEqual(Id.AsSpan(Id.IndexOf('/') + 1));

    /// <summary>The row part of a seat id (<c>SECTION-ROW</c> of <c>SECTION-ROW-NUMBER</c>).</summary>
    private static ReadOnlySpan<char> RowOf(string seatId)
    {
        var last = seatId.LastIndexOf('-');
        return last > 0 ? seatId.AsSpan(0, last) : seatId;
    }

    public char StatusCode(string seatId) => Seats.TryGetValue(seatId, out var mark)
        ? mark.Status == SeatStatus.Sold ? 's' : 'h'
        : 'a';
}

/// <summary>
/// A release frees only seats that are still the releasing hold's, and a hold never undoes its own sale, so a
/// late message about an old hold cannot wipe out the seat's newer state.
/// </summary>
public sealed class RowSeatMapProjection : MultiStreamProjection<RowSeatMap, string>
{
    public RowSeatMapProjection()
    {
        Identities<SeatsHeld>(e => Rows(e.ConcertId, e.Seats.Select(seat => seat.SeatId)));
        Identities<SeatsReleased>(e => Rows(e.ConcertId, e.SeatIds));
        Identities<TicketsIssued>(e => Rows(e.ConcertId, e.Tickets.Select(ticket => ticket.SeatId)));
    }

    private static List<string> Rows(Guid concertId, IEnumerable<string> seatIds) =>
        seatIds.Select(seatId => RowSeatMap.IdOf(concertId, seatId)).Distinct().ToList();

    public override RowSeatMap? Evolve(RowSeatMap? snapshot, string id, IEvent e)
    {
        if (e.Data is not (SeatsHeld or SeatsReleased or TicketsIssued))
        {
            return snapshot;
        }

        var map = snapshot ?? new RowSeatMap { Id = id };
        switch (e.Data)
        {
            case SeatsHeld held:
                Locate(map, held.ConcertId);
                foreach (var seat in held.Seats.Where(seat => map.Has(seat.SeatId)))
                {
                    if (!(map.Seats.TryGetValue(seat.SeatId, out var mark) && mark.Hold == held.HoldId))
                    {
                        map.Seats[seat.SeatId] = new SeatMark(held.HoldId, SeatStatus.Held);
                    }
                }

                break;
            case TicketsIssued issued:
                Locate(map, issued.ConcertId);
                foreach (var ticket in issued.Tickets.Where(ticket => map.Has(ticket.SeatId)))
                {
                    map.Seats[ticket.SeatId] = new SeatMark(issued.HoldId, SeatStatus.Sold);
                }

                break;
            case SeatsReleased released:
                Locate(map, released.ConcertId);
                foreach (var seatId in released.SeatIds.Where(map.Has))
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

    /// <summary>A new row's document learns which concert it is from its first event.</summary>
    private static void Locate(RowSeatMap map, Guid concertId)
    {
        if (map.ConcertId == Guid.Empty)
        {
            map.ConcertId = concertId;
        }
    }
}
