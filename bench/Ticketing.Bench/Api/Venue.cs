using System.Globalization;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Api;

/// <summary>A price tier of the bench venue, as the Catalog takes it.</summary>
public sealed record VenueTier(string Code, string Name, decimal Price);

/// <summary>
/// The benchmark's venue: sections of <see cref="RowsPerSection"/> rows × <see cref="SeatsPerRow"/> seats
/// (<c>S01</c>, <c>S02</c>, …; rows <c>1</c>..<c>25</c>; seat ids <c>S01-7-12</c>), split into four tiers in
/// section order. Every seat has an index (section, then row, then number) for the client-side views.
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

    private readonly Dictionary<string, int> indexBySeatId;

    public Venue(int seats)
    {
        if (seats <= 0 || seats % SeatsPerSection != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(seats), $"A venue is made of whole sections of {SeatsPerSection} seats.");
        }

        Sections = seats / SeatsPerSection;
        SeatIds = new string[seats];
        TierOfRow = new int[seats / SeatsPerRow];
        indexBySeatId = new Dictionary<string, int>(seats, StringComparer.Ordinal);
        for (var section = 0; section < Sections; section++)
        {
            for (var row = 0; row < RowsPerSection; row++)
            {
                TierOfRow[section * RowsPerSection + row] = TierOfSection(section);
                for (var number = 1; number <= SeatsPerRow; number++)
                {
                    var index = section * SeatsPerSection + row * SeatsPerRow + number - 1;
                    SeatIds[index] = string.Create(CultureInfo.InvariantCulture, $"{SectionCode(section)}-{row + 1}-{number}");
                    indexBySeatId[SeatIds[index]] = index;
                }
            }
        }
    }

    /// <summary>A venue of the size an option gives: a whole number of sections, 4 or more (one per tier).</summary>
    public static Venue Read(BenchOptions options, string name, int defaultSeats, string help)
    {
        var seats = options.Int(name, defaultSeats, SeatsPerSection * Tiers.Count, 200_000,
            $"{help}: a multiple of {SeatsPerSection} (sections of {RowsPerSection} rows x {SeatsPerRow} seats), 4 tiers");
        return seats % SeatsPerSection == 0 ? new Venue(seats) : throw new UsageException($"--{name} must be a multiple of {SeatsPerSection}, got {seats}.");
    }

    public int Sections { get; }
    public int Capacity => SeatIds.Length;
    public int Rows => TierOfRow.Length;

    /// <summary>Seat ids by index.</summary>
    public string[] SeatIds { get; }

    /// <summary>The index in <see cref="Tiers"/> of each row (rows numbered venue-wide: index / <see cref="SeatsPerRow"/>).</summary>
    public int[] TierOfRow { get; }

    public int TierOfSection(int section) => section * Tiers.Count / Sections;

    public int TierOfSeat(int index) => TierOfRow[index / SeatsPerRow];

    public bool TryIndexOf(string seatId, out int index) => indexBySeatId.TryGetValue(seatId, out index);

    /// <summary>Every seat with its tier, best first as the reference ranks them: by row from the stage, then section, then number.</summary>
    public IEnumerable<(string SeatId, string Tier)> SeatsBestFirst() =>
        Enumerable.Range(0, Capacity)
            .OrderBy(index => index % SeatsPerSection / SeatsPerRow)
            .ThenBy(index => index / SeatsPerSection)
            .ThenBy(index => index % SeatsPerRow)
            .Select(index => (SeatIds[index], Tiers[TierOfSeat(index)].Code));

    public static string SectionCode(int section) => string.Create(CultureInfo.InvariantCulture, $"S{section + 1:D2}");

    /// <summary>The concert as the Catalog's POST /api/catalog/concerts takes it: on sale since an hour ago.</summary>
    public object ConcertRequest(string title, int ticketLimitPerFan, DateTimeOffset now) => new
    {
        artist = "Bench",
        title,
        venue = "Bench Arena",
        city = "Seoul",
        timeZone = "Asia/Seoul",
        startsAt = now.AddDays(30),
        saleOpensAt = now.AddHours(-1),
        ticketLimitPerFan,
        priceTiers = Tiers.Select(tier => new { code = tier.Code, name = tier.Name, price = tier.Price, currency = Currency }).ToList(),
        sections = Enumerable.Range(0, Sections).Select(section => new
        {
            code = SectionCode(section),
            tier = Tiers[TierOfSection(section)].Code,
            rows = Enumerable.Range(1, RowsPerSection).Select(row => new { label = row.ToString(CultureInfo.InvariantCulture), seats = SeatsPerRow }).ToList(),
        }).ToList(),
    };
}
