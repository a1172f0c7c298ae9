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

    private SeatLedgerView(SeatLayout layout, long version, SeatStatus[] statuses, bool salesStopped, DateTimeOffset saleOpensAt, int ticketLimitPerFan)
    {
        Layout = layout;
        Version = version;
        this.statuses = statuses;
        SalesStopped = salesStopped;
        SaleOpensAt = saleOpensAt;
        TicketLimitPerFan = ticketLimitPerFan;
        Tiers = layout.Tiers.Keys
            .Select(tier =>
            {
                int available = 0, held = 0, sold = 0;
                foreach (var row in layout.BestRowsOfTier.GetValueOrDefault(tier) ?? [])
                {
                    var seats = layout.Rows[row];
                    for (var seat = seats.FirstSeat; seat < seats.FirstSeat + seats.SeatCount; seat++)
                    {
                        switch (statuses[seat])
                        {
                            case SeatStatus.Available: available++; break;
                            case SeatStatus.Held: held++; break;
                            default: sold++; break;
                        }
                    }
                }

                return new TierCounts(tier, available + held + sold, available, held, sold);
            })
            .ToDictionary(counts => counts.Tier, StringComparer.Ordinal);
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
        new(ledger.Layout, ledger.Version, ledger.Statuses.ToArray(), ledger.SalesStopped, ledger.SaleOpensAt, ledger.TicketLimitPerFan);
}
