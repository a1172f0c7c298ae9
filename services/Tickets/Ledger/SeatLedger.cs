using Ticketing.Contracts.Tickets;
using Ticketing.Tickets.Admission;
using Ticketing.Tickets.Holds;
using Ticketing.Tickets.Inventory;

namespace Ticketing.Tickets.Ledger;

public enum SeatStatus : byte
{
    Available,
    Held,
    Sold,
}

/// <summary>A hold as the ledger knows it; <see cref="Seats"/> are seat indexes of the layout.</summary>
public sealed record LedgerHold(
    Guid Id,
    string FanId,
    IReadOnlyList<int> Seats,
    HoldStatus Status,
    Guid? OrderId,
    IReadOnlyList<SoldSeat> Tickets,
    DateTimeOffset PlacedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Seats this hold takes from the fan's per-concert limit.</summary>
    public bool CountsAgainstLimit => Status is HoldStatus.Held or HoldStatus.CheckedOut or HoldStatus.Sold;
}

public sealed record LedgerTicket(Guid Id, int Seat, Guid HoldId, Guid OrderId, string FanId, TicketStatus Status, DateTimeOffset IssuedAt, DateTimeOffset? CheckedInAt, string? VoidReason);

/// <summary>
/// The state of a concert's seats, folded from its ledger stream: each seat's status and hold, the holds, how many
/// seats each fan has, and the tickets. It is the state one writer decides on (see <see cref="SeatLedgerRules"/>),
/// kept in memory between batches. It is mutable on purpose: a stadium has 60,000 seats, and copying them for each
/// change would cost more than the change. Only the concert's writer touches it; readers get
/// <see cref="SeatLedgerView"/> snapshots.
/// </summary>
public sealed class SeatLedger
{
    private readonly SeatStatus[] status;
    private readonly Guid[] holdOfSeat;
    private readonly int[] freeInRow;
    private readonly Dictionary<string, int[]> statusCountsOfTier;
    private readonly Dictionary<Guid, LedgerHold> holds = [];
    private readonly Dictionary<string, int> seatsOfFan = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, LedgerTicket> tickets = [];

    public SeatLedger(SeatLayout layout, ConcertInventory inventory)
    {
        Layout = layout;
        SaleOpensAt = inventory.SaleOpensAt;
        TicketLimitPerFan = inventory.TicketLimitPerFan;
        status = new SeatStatus[layout.Capacity];
        holdOfSeat = new Guid[layout.Capacity];
        freeInRow = layout.Rows.Select(row => row.SeatCount).ToArray();
        statusCountsOfTier = layout.Tiers.Keys.ToDictionary(
            tier => tier, tier => new[] { layout.Seats.Count(seat => seat.Tier == tier), 0, 0 }, StringComparer.Ordinal);
    }

    public SeatLayout Layout { get; }

    public Guid ConcertId => Layout.ConcertId;

    /// <summary>The version of the ledger stream this state reflects (0: nothing appended yet).</summary>
    public long Version { get; set; }

    public DateTimeOffset SaleOpensAt { get; }

    public int TicketLimitPerFan { get; }

    public bool SalesStopped { get; private set; }

    public string? StopReason { get; private set; }

    public SeatStatus StatusOf(int seat) => status[seat];

    public LedgerHold? Hold(Guid holdId) => holds.GetValueOrDefault(holdId);

    public LedgerTicket? Ticket(Guid ticketId) => tickets.GetValueOrDefault(ticketId);

    /// <summary>Seats held or bought by the fan for this concert.</summary>
    public int SeatsOf(string fanId) => seatsOfFan.GetValueOrDefault(fanId);

    public IEnumerable<LedgerHold> Holds => holds.Values;

    public IEnumerable<LedgerTicket> Tickets => tickets.Values;

    public ReadOnlySpan<SeatStatus> Statuses => status;

    /// <summary>Seats of each tier by status (available, held, sold), kept as seats change.</summary>
    public IEnumerable<TierCounts> TierCounts => statusCountsOfTier.Select(tier =>
        new TierCounts(tier.Key, tier.Value.Sum(), tier.Value[(int)SeatStatus.Available], tier.Value[(int)SeatStatus.Held], tier.Value[(int)SeatStatus.Sold]));

    /// <summary>
    /// <paramref name="quantity"/> adjacent available seats in the best row of the tier that has them; otherwise the
    /// best available single seats. Null when fewer seats of the tier are available.
    /// </summary>
    public IReadOnlyList<int>? ChooseBest(string tier, int quantity)
    {
        if (!Layout.BestRowsOfTier.TryGetValue(tier, out var rows))
        {
            return null;
        }

        var scattered = new List<int>(quantity);
        foreach (var rowIndex in rows)
        {
            if (freeInRow[rowIndex] == 0)
            {
                continue;
            }

            var row = Layout.Rows[rowIndex];
            if (freeInRow[rowIndex] >= quantity && AdjacentBlock(row, quantity) is { } block)
            {
                return block;
            }

            for (var seat = row.FirstSeat; seat < row.FirstSeat + row.SeatCount && scattered.Count < quantity; seat++)
            {
                if (status[seat] == SeatStatus.Available)
                {
                    scattered.Add(seat);
                }
            }
        }

        return scattered.Count == quantity ? scattered : null;
    }

    private int[]? AdjacentBlock(LayoutRow row, int quantity)
    {
        var run = 0;
        for (var seat = row.FirstSeat; seat < row.FirstSeat + row.SeatCount; seat++)
        {
            run = status[seat] == SeatStatus.Available ? run + 1 : 0;
            if (run == quantity)
            {
                return Enumerable.Range(seat - quantity + 1, quantity).ToArray();
            }
        }

        return null;
    }

    /// <summary>Folds one change of a batch, or one stored event (a batch of changes), into the state.</summary>
    public void Apply(object change)
    {
        switch (change)
        {
            case HoldsPlaced placed:
                placed.Holds.ToList().ForEach(Apply);
                break;
            case HoldsReleased released:
                released.Holds.ToList().ForEach(Apply);
                break;
            case HoldsCheckedOut checkedOut:
                checkedOut.Holds.ToList().ForEach(Apply);
                break;
            case HoldsSold sold:
                sold.Holds.ToList().ForEach(Apply);
                break;
            case HoldsRefunded refunded:
                refunded.Holds.ToList().ForEach(Apply);
                break;
            case TicketsCheckedIn checkedIn:
                checkedIn.Tickets.ToList().ForEach(Apply);
                break;
            case PlacedHold placed:
                Apply(placed);
                break;
            case ReleasedHold released:
                Apply(released);
                break;
            case CheckedOutHold checkedOut:
                Apply(checkedOut);
                break;
            case SoldHold sold:
                Apply(sold);
                break;
            case RefundedHold refunded:
                Apply(refunded);
                break;
            case CheckedInTicket checkedIn:
                Apply(checkedIn);
                break;
            case ConcertSalesStopped stopped:
                Apply(stopped);
                break;
            default:
                throw new ArgumentException($"Not a seat ledger change: {change.GetType().Name}", nameof(change));
        }
    }

    private void Apply(PlacedHold placed)
    {
        var seats = placed.Seats.Select(seat => Layout.IndexOf[seat.SeatId]).ToList();
        foreach (var seat in seats)
        {
            SetStatus(seat, SeatStatus.Held);
            holdOfSeat[seat] = placed.HoldId;
        }

        holds[placed.HoldId] = new LedgerHold(placed.HoldId, placed.FanId, seats, HoldStatus.Held, null, [], placed.PlacedAt, placed.ExpiresAt, placed.PlacedAt);
        seatsOfFan[placed.FanId] = SeatsOf(placed.FanId) + seats.Count;
    }

    private void Apply(ReleasedHold released)
    {
        var hold = holds[released.HoldId];
        FreeSeatsOf(hold);
        holds[hold.Id] = hold with
        {
            Status = released.Reason == ReleaseReasons.Expired ? HoldStatus.Expired : HoldStatus.Released,
            UpdatedAt = released.ReleasedAt,
        };
    }

    private void Apply(CheckedOutHold checkedOut)
    {
        var hold = holds[checkedOut.HoldId];
        holds[hold.Id] = hold with { Status = HoldStatus.CheckedOut, OrderId = checkedOut.OrderId, UpdatedAt = checkedOut.CheckedOutAt };
    }

    private void Apply(SoldHold sold)
    {
        var hold = holds[sold.HoldId];
        foreach (var ticket in sold.Tickets)
        {
            var seat = Layout.IndexOf[ticket.SeatId];
            SetStatus(seat, SeatStatus.Sold);
            tickets[ticket.TicketId] = new LedgerTicket(ticket.TicketId, seat, hold.Id, sold.OrderId, hold.FanId, TicketStatus.Valid, sold.SoldAt, null, null);
        }

        holds[hold.Id] = hold with { Status = HoldStatus.Sold, OrderId = sold.OrderId, Tickets = sold.Tickets, UpdatedAt = sold.SoldAt };
    }

    private void Apply(RefundedHold refunded)
    {
        var hold = holds[refunded.HoldId];
        foreach (var ticketId in refunded.TicketIds)
        {
            tickets[ticketId] = tickets[ticketId] with { Status = TicketStatus.Voided, VoidReason = "refunded" };
        }

        FreeSeatsOf(hold);
        holds[hold.Id] = hold with { Status = HoldStatus.Refunded, UpdatedAt = refunded.RefundedAt };
    }

    private void Apply(CheckedInTicket checkedIn) =>
        tickets[checkedIn.TicketId] = tickets[checkedIn.TicketId] with { Status = TicketStatus.CheckedIn, CheckedInAt = checkedIn.CheckedInAt };

    private void Apply(ConcertSalesStopped stopped)
    {
        SalesStopped = true;
        StopReason = stopped.Reason;
        foreach (var ticketId in stopped.VoidedTicketIds)
        {
            tickets[ticketId] = tickets[ticketId] with { Status = TicketStatus.Voided, VoidReason = stopped.Reason };
        }
    }

    /// <summary>The hold's seats go back on sale and stop counting against its fan's limit.</summary>
    private void FreeSeatsOf(LedgerHold hold)
    {
        foreach (var seat in hold.Seats.Where(seat => holdOfSeat[seat] == hold.Id))
        {
            SetStatus(seat, SeatStatus.Available);
            holdOfSeat[seat] = Guid.Empty;
        }

        seatsOfFan[hold.FanId] = Math.Max(0, SeatsOf(hold.FanId) - hold.Seats.Count);
    }

    private void SetStatus(int seat, SeatStatus value)
    {
        var counts = statusCountsOfTier[Layout.Seats[seat].Tier];
        counts[(int)status[seat]]--;
        counts[(int)value]++;
        var row = Layout.Seats[seat].RowIndex;
        if (status[seat] == SeatStatus.Available && value != SeatStatus.Available)
        {
            freeInRow[row]--;
        }
        else if (status[seat] != SeatStatus.Available && value == SeatStatus.Available)
        {
            freeInRow[row]++;
        }

        status[seat] = value;
    }
}
