using System.Globalization;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Api;

/// <summary>A price tier of the bench venue, as the Catalog takes it.</summary>
public sealed record VenueTier(string Code, string Name, decimal Price);

/// <summary>
/// The benchmark's venue: sections of <see cref="RowsPerSection"/> rows × <see cref="SeatsPerRow"/> seats
/// (<c>S01</c>, <c>S02</c>, …; rows <c>1</c>..<c>25</c>; seat ids <c>S01-7-12</c>), split into four tiers in
/// section order.
/// </summary>
public sealed class Venue
{
    public const int RowsPerSection = 25;
    public const int SeatsPerRow = 40;
    public const int SeatsPerSection = RowsPerSection * SeatsPerRow;
    public const string Currency = "KRW";

    public static readonly IReadOnlyList<VenueTier> Tiers =
    [
        new("VIP", "VIP floor", 198_000m),
        new("R", "R seats", 165_000m),
        new("S", "S seats", 132_000m),
        new("A", "A seats", 99_000m),
    ];

    public Venue(int seats)
    {
        if (seats <= 0 || seats % SeatsPerSection != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(seats), $"A venue is made of whole sections of {SeatsPerSection} seats.");
        }

        Capacity = seats;
    }

    /// <summary>One section per tier at least.</summary>
    private static readonly int MinSeats = SeatsPerSection * Tiers.Count;

    /// <summary>A venue of the size an option gives: a whole number of sections, 4 or more (one per tier).</summary>
    public static Venue Read(BenchOptions options, string name, int defaultSeats, string help) =>
        Sized(name, options.Int(name, defaultSeats, MinSeats, 200_000,
            $"{help}: a multiple of {SeatsPerSection} (sections of {RowsPerSection} rows x {SeatsPerRow} seats), 4 tiers"));

    /// <summary>As <see cref="Read"/>, or none when the option is 0 (its default).</summary>
    public static Venue? ReadOptional(BenchOptions options, string name, string help)
    {
        var seats = options.Int(name, 0, 0, 200_000, $"{help}: 0 (none) or a multiple of {SeatsPerSection}, {MinSeats} or more");
        if (seats == 0)
        {
            return null;
        }

        return seats >= MinSeats ? Sized(name, seats) : throw new UsageException($"--{name} must be 0 or at least {MinSeats}, got {seats}.");
    }

    private static Venue Sized(string name, int seats) =>
        seats % SeatsPerSection == 0 ? new Venue(seats) : throw new UsageException($"--{name} must be a multiple of {SeatsPerSection}, got {seats}.");

    public int Capacity { get; }

    public int Sections => Capacity / SeatsPerSection;

    /// <summary>
    /// Every seat (<c>S01-7-12</c>: section, row, number) with its tier, best first as the reference ranks them: by row
    /// from the stage, then section, then number.
    /// </summary>
    public IEnumerable<(string SeatId, string Tier)> SeatsBestFirst() =>
        from row in Enumerable.Range(1, RowsPerSection)
        from section in Enumerable.Range(0, Sections)
        from number in Enumerable.Range(1, SeatsPerRow)
        select (SeatId(section, row, number), Tiers[TierOfSection(section)].Code);

    /// <summary>The id of a seat: <paramref name="section"/> from 0, <paramref name="row"/> and <paramref name="number"/> from 1.</summary>
    public static string SeatId(int section, int row, int number) => string.Create(CultureInfo.InvariantCulture, $"{SectionCode(section)}-{row}-{number}");

    /// <summary>
    /// Where a seat (<c>S01-7-12</c>) stands in the seat state: its section's code, and its index in that section's
    /// string of seats (rows front to back, seats by number).
    /// </summary>
    public static (string Section, int Index) Position(string seatId)
    {
        var parts = seatId.Split('-');
        var row = int.Parse(parts[1], CultureInfo.InvariantCulture);
        var number = int.Parse(parts[2], CultureInfo.InvariantCulture);
        return (parts[0], (row - 1) * SeatsPerRow + number - 1);
    }

    public static string SectionCode(int section) => string.Create(CultureInfo.InvariantCulture, $"S{section + 1:D2}");

    private int TierOfSection(int section) => section * Tiers.Count / Sections;

    /// <summary>
    /// The concert as the Catalog's POST /api/catalog/concerts takes it: on sale since an hour ago, or from
    /// <paramref name="saleOpensAt"/>; with <paramref name="waitingRoom"/> as its <c>waitingRoom</c> when given.
    /// </summary>
    public object ConcertRequest(string title, int ticketLimitPerFan, DateTimeOffset now, DateTimeOffset? saleOpensAt = null, object? waitingRoom = null) => new
    {
        artist = "Bench",
        title,
        venue = "Bench Arena",
        city = "Seoul",
        timeZone = "Asia/Seoul",
        startsAt = now.AddDays(30),
        saleOpensAt = saleOpensAt ?? now.AddHours(-1),
        ticketLimitPerFan,
        waitingRoom,
        priceTiers = Tiers.Select(tier => new { code = tier.Code, name = tier.Name, price = tier.Price, currency = Currency }).ToList(),
        sections = Enumerable.Range(0, Sections).Select(section => new
        {
            code = SectionCode(section),
            tier = Tiers[TierOfSection(section)].Code,
            rows = Enumerable.Range(1, RowsPerSection).Select(row => new { label = row.ToString(CultureInfo.InvariantCulture), seats = SeatsPerRow }).ToList(),
        }).ToList(),
    };
}
