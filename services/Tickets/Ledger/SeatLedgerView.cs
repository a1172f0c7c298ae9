namespace Ticketing.Tickets.Ledger;

/// <summary>Seats of one tier by status.</summary>
public sealed record TierCounts(string Tier, int Capacity, int Available, int Held, int Sold);

/// <summary>
/// A consistent, immutable picture of a concert's seats at one ledger version, for readers (the seat map,
/// availability, the live seat state): taken by the writer after each commit, so reads never touch the state it is
/// deciding on and never query the database.
/// </summary>
public sealed class SeatLedgerView
{
    private readonly SeatStatus[] statuses;

    private SeatLedgerView(
        SeatLayout layout, long version, SeatStatus[] statuses, IEnumerable<TierCounts> tiers, bool salesStopped, DateTimeOffset saleOpensAt, int ticketLimitPerFan)
    {
        Layout = layout;
        Version = version;
        this.statuses = statuses;
        SalesStopped = salesStopped;
        SaleOpensAt = saleOpensAt;
        TicketLimitPerFan = ticketLimitPerFan;
        Tiers = tiers.ToDictionary(counts => counts.Tier, StringComparer.Ordinal);
    }

    public SeatLayout Layout { get; }

    public long Version { get; }

    public bool SalesStopped { get; }

    public DateTimeOffset SaleOpensAt { get; }

    public int TicketLimitPerFan { get; }

    public IReadOnlyDictionary<string, TierCounts> Tiers { get; }

    public int Available => Tiers.Values.Sum(tier => tier.Available);

    public ReadOnlySpan<SeatStatus> Statuses => statuses;

    public SeatStatus StatusOf(int seat) => statuses[seat];

    public static SeatLedgerView Of(SeatLedger ledger) =>
        new(ledger.Layout, ledger.Version, ledger.Statuses.ToArray(), ledger.TierCounts, ledger.SalesStopped, ledger.SaleOpensAt, ledger.TicketLimitPerFan);
}
