using Ticketing.Tickets.Seats;

namespace Ticketing.Tickets.Holds;

/// <summary>
/// Which seats of one concert look free, in memory, for the concert's <see cref="HoldDesk"/> lane to choose
/// from without a query. It is a hint, never the authority: every seat it offers is read again for writing
/// and claimed at its stream version, so a stale chart costs a retry, never a double booking.
/// Rows are kept best first (front rows, then sections in map order), so best-available walks rows until one
/// has enough adjacent free seats.
/// </summary>
public sealed class SeatChart
{
    private readonly Dictionary<string, Slot> slots;
    private readonly Dictionary<string, List<ChartRow>> rowsByTier;

    private SeatChart(Dictionary<string, Slot> slots, Dictionary<string, List<ChartRow>> rowsByTier)
    {
        this.slots = slots;
        this.rowsByTier = rowsByTier;
    }

    public static SeatChart From(IEnumerable<SeatRow> seatRows)
    {
        var slots = new Dictionary<string, Slot>(StringComparer.Ordinal);
        var rowsByTier = new Dictionary<string, List<ChartRow>>(StringComparer.Ordinal);
        foreach (var seatRow in seatRows.OrderBy(row => row.RowIndex).ThenBy(row => row.SectionIndex))
        {
            var chartRow = new ChartRow();
            foreach (var seat in seatRow.Seats.OrderBy(seat => seat.Number))
            {
                var slot = new Slot(seat.SeatId, seat.Number, chartRow) { Free = seat.Status == SeatStatus.Available };
                chartRow.Slots.Add(slot);
                chartRow.FreeCount += slot.Free ? 1 : 0;
                slots[seat.SeatId] = slot;
            }

            if (!rowsByTier.TryGetValue(seatRow.Tier, out var rows))
            {
                rowsByTier[seatRow.Tier] = rows = [];
            }

            rows.Add(chartRow);
        }

        return new SeatChart(slots, rowsByTier);
    }

    public bool IsFree(string seatId) => slots.TryGetValue(seatId, out var slot) && slot.Free;

    /// <summary>Marks seats taken (a claim in the batch being decided, or a change seen elsewhere).</summary>
    public void Take(IEnumerable<string> seatIds)
    {
        foreach (var seatId in seatIds)
        {
            Set(seatId, free: false);
        }
    }

    public void Free(IEnumerable<string> seatIds)
    {
        foreach (var seatId in seatIds)
        {
            Set(seatId, free: true);
        }
    }

    public void Set(string seatId, bool free)
    {
        if (slots.TryGetValue(seatId, out var slot) && slot.Free != free)
        {
            slot.Free = free;
            slot.Row.FreeCount += free ? 1 : -1;
        }
    }

    /// <summary>
    /// <paramref name="quantity"/> adjacent free seats in the best row that has them; otherwise the best free
    /// single seats. Null when fewer seats of the tier are free than asked for.
    /// </summary>
    public IReadOnlyList<string>? ChooseBest(string tier, int quantity)
    {
        if (!rowsByTier.TryGetValue(tier, out var rows))
        {
            return null;
        }

        var scattered = new List<string>(quantity);
        foreach (var row in rows)
        {
            if (row.FreeCount == 0)
            {
                continue;
            }

            if (row.FreeCount >= quantity && row.AdjacentBlock(quantity) is { } block)
            {
                return block;
            }

            foreach (var slot in row.Slots)
            {
                if (slot.Free && scattered.Count < quantity)
                {
                    scattered.Add(slot.SeatId);
                }
            }
        }

        return scattered.Count == quantity ? scattered : null;
    }

    private sealed class Slot(string seatId, int number, ChartRow row)
    {
        public string SeatId { get; } = seatId;
        public int Number { get; } = number;
        public ChartRow Row { get; } = row;
        public bool Free { get; set; }
    }

    private sealed class ChartRow
    {
        public List<Slot> Slots { get; } = [];
        public int FreeCount { get; set; }

        public IReadOnlyList<string>? AdjacentBlock(int quantity)
        {
            var run = 0;
            for (var i = 0; i < Slots.Count; i++)
            {
                var contiguous = i > 0 && Slots[i].Number == Slots[i - 1].Number + 1;
                run = Slots[i].Free ? (contiguous && run > 0 ? run + 1 : 1) : 0;
                if (run == quantity)
                {
                    return Slots.GetRange(i - quantity + 1, quantity).Select(slot => slot.SeatId).ToList();
                }
            }

            return null;
        }
    }
}
