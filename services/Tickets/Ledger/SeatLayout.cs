using System.Collections.Frozen;
using Ticketing.Contracts.Tickets;
using Ticketing.Tickets.Inventory;

namespace Ticketing.Tickets.Ledger;

/// <summary>One seat of the venue: its place in the layout and its tier.</summary>
public sealed record LayoutSeat(string SeatId, string Section, string Row, int Number, int RowIndex, string Tier);

/// <summary>
/// One row of seats: <paramref name="FirstSeat"/> is the index of its first seat, the others follow by number.
/// <paramref name="Depth"/> is 0 for the front row of its section.
/// </summary>
public sealed record LayoutRow(int Index, string Section, string Label, int SectionIndex, int Depth, string Tier, int FirstSeat, int SeatCount);

/// <summary>
/// The venue as a concert sells it, which never changes once published: every seat with an index (sections as
/// listed, rows front to back, seats by number), its row and tier, and per tier the rows best first (front rows
/// first, then sections in map order) for best-available.
/// </summary>
public sealed class SeatLayout
{
    private SeatLayout(
        Guid concertId,
        IReadOnlyList<LayoutSeat> seats,
        IReadOnlyList<LayoutRow> rows,
        FrozenDictionary<string, int> indexOf,
        FrozenDictionary<string, TierPrice> tiers,
        FrozenDictionary<string, int[]> bestRowsOfTier)
    {
        ConcertId = concertId;
        Seats = seats;
        Rows = rows;
        IndexOf = indexOf;
        Tiers = tiers;
        BestRowsOfTier = bestRowsOfTier;
    }

    public Guid ConcertId { get; }

    public IReadOnlyList<LayoutSeat> Seats { get; }

    public IReadOnlyList<LayoutRow> Rows { get; }

    public FrozenDictionary<string, int> IndexOf { get; }

    public FrozenDictionary<string, TierPrice> Tiers { get; }

    /// <summary>Row indexes of each tier, best first.</summary>
    public FrozenDictionary<string, int[]> BestRowsOfTier { get; }

    public int Capacity => Seats.Count;

    public static string SeatIdOf(string section, string row, int number) => $"{section}-{row}-{number}";

    public static SeatLayout Of(ConcertInventory inventory)
    {
        var seats = new List<LayoutSeat>(inventory.Capacity);
        var rows = new List<LayoutRow>();
        foreach (var (section, sectionIndex) in inventory.Sections.Select((section, index) => (section, index)))
        {
            foreach (var (row, depth) in section.Rows.Select((row, index) => (row, index)))
            {
                rows.Add(new LayoutRow(rows.Count, section.Code, row.Label, sectionIndex, depth, section.Tier, seats.Count, row.Seats));
                for (var number = 1; number <= row.Seats; number++)
                {
                    seats.Add(new LayoutSeat(SeatIdOf(section.Code, row.Label, number), section.Code, row.Label, number, rows.Count - 1, section.Tier));
                }
            }
        }

        return new SeatLayout(
            inventory.Id,
            seats,
            rows,
            seats.Select((seat, index) => (seat.SeatId, index)).ToFrozenDictionary(pair => pair.SeatId, pair => pair.index, StringComparer.Ordinal),
            inventory.Tiers.ToFrozenDictionary(tier => tier.Code, StringComparer.Ordinal),
            rows.GroupBy(row => row.Tier)
                .ToFrozenDictionary(
                    tier => tier.Key,
                    tier => tier.OrderBy(row => row.Depth).ThenBy(row => row.SectionIndex).Select(row => row.Index).ToArray(),
                    StringComparer.Ordinal));
    }

    /// <summary>The seat as a hold carries it: id, tier and the tier's price.</summary>
    public HeldSeat HeldSeat(int seat)
    {
        var tier = Tiers[Seats[seat].Tier];
        return new HeldSeat(Seats[seat].SeatId, tier.Code, tier.Price, tier.Currency);
    }
}
