using System.Text;
using System.Text.Json;
using Ticketing.ServiceDefaults.Http;

namespace Ticketing.Tickets.SeatState;

/// <summary>One section's seats in layout order, one letter each (<c>a</c> available, <c>h</c> held, <c>s</c> sold).</summary>
public sealed record SectionState(string Code, string Seats);

/// <summary>
/// <c>GET /api/tickets/concerts/{id}/seat-state</c>: every seat's status as a string per section, at
/// <see cref="Version"/> (grows with every change) of the layout <see cref="LayoutVersion"/>.
/// </summary>
public sealed record SeatStateResponse(Guid ConcertId, string LayoutVersion, long Version, bool SalesStopped, IReadOnlyList<SectionState> Sections);

/// <summary>Seats that changed between two versions of one section: seat <c>At[i]</c> (index in the section) is now <c>Seats[i]</c>.</summary>
public sealed record SectionChanges(string Section, IReadOnlyList<int> At, string Seats);

/// <summary>
/// The <c>delta</c> event of <c>/seat-state/stream</c>: what changed from version <see cref="From"/> to
/// <see cref="Version"/>. A client at another version than <see cref="From"/> has missed something and reads
/// <c>/seat-state</c> again (or waits for the next <c>snapshot</c> event).
/// </summary>
public sealed record SeatStateDelta(long From, long Version, bool SalesStopped, IReadOnlyList<SectionChanges> Changes);

/// <summary>Seats left per tier, counted from one seat state.</summary>
public sealed record TierCount(int Capacity, int Available, int Held, int Sold);

/// <summary>A concert's seat state at one version, with its JSON and counts computed once however many read it.</summary>
public sealed class SeatStateSnapshot
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, object> derived = new();
    private byte[]? json;
    private IReadOnlyList<TierCount>? tierCounts;

    public SeatStateSnapshot(SeatLayout layout, long version, byte[] codes, bool salesStopped, DateTimeOffset readAt)
    {
        Layout = layout;
        Version = version;
        Codes = codes;
        SalesStopped = salesStopped;
        ReadAt = readAt;
        EntityTag = CacheableJson.WeakTag($"{layout.Version}.{version}.{(salesStopped ? 1 : 0)}");
    }

    public SeatLayout Layout { get; }
    public long Version { get; }

    /// <summary>One <see cref="SeatCodes"/> byte per seat in layout order. Never changed once built.</summary>
    public byte[] Codes { get; }

    public bool SalesStopped { get; }

    /// <summary>When the source last confirmed this state (a read that found nothing new moves it on).</summary>
    public DateTimeOffset ReadAt { get; internal set; }

    /// <summary>Names this state (layout, version, sales stopped): the <c>ETag</c> of every read made from it.</summary>
    public string EntityTag { get; }

    public bool SameAs(SeatStateSnapshot other) => Version == other.Version && SalesStopped == other.SalesStopped;

    public SeatStateResponse ToResponse() => new(
        Layout.ConcertId,
        Layout.Version,
        Version,
        SalesStopped,
        Layout.Sections.Select(section => new SectionState(section.Code, Encoding.ASCII.GetString(Codes, section.Offset, section.Capacity))).ToList());

    public byte[] Json(JsonSerializerOptions options) => json ??= JsonSerializer.SerializeToUtf8Bytes(ToResponse(), options);

    /// <summary>Something built from this state once (e.g. an older answer's JSON), kept as long as the state is current.</summary>
    public T Derived<T>(Func<SeatStateSnapshot, T> build)
        where T : class => (T)derived.GetOrAdd(typeof(T), _ => build(this));

    /// <summary>Capacity, available, held and sold per tier, in the layout's tier order.</summary>
    public IReadOnlyList<TierCount> TierCounts
    {
        get
        {
            if (tierCounts is not null)
            {
                return tierCounts;
            }

            var counts = new int[Layout.Document.Tiers.Count, 3];
            var capacity = new int[Layout.Document.Tiers.Count];
            foreach (var section in Layout.Sections)
            {
                capacity[section.TierIndex] += section.Capacity;
                foreach (var code in Codes.AsSpan(section.Offset, section.Capacity))
                {
                    counts[section.TierIndex, code switch { SeatCodes.Held => 1, SeatCodes.Sold => 2, _ => 0 }]++;
                }
            }

            return tierCounts = Enumerable.Range(0, capacity.Length)
                .Select(tier => new TierCount(capacity[tier], counts[tier, 0], counts[tier, 1], counts[tier, 2]))
                .ToList();
        }
    }

    /// <summary>What changed from <paramref name="before"/> (same layout) to this state.</summary>
    public SeatStateDelta DeltaFrom(SeatStateSnapshot before)
    {
        var changes = new List<SectionChanges>();
        foreach (var section in Layout.Sections)
        {
            var now = Codes.AsSpan(section.Offset, section.Capacity);
            var then = before.Codes.AsSpan(section.Offset, section.Capacity);
            var start = now.CommonPrefixLength(then);
            if (start == now.Length)
            {
                continue;
            }

            var at = new List<int>();
            var seats = new StringBuilder();
            for (var i = start; i < now.Length; i++)
            {
                if (now[i] != then[i])
                {
                    at.Add(i);
                    seats.Append((char)now[i]);
                }
            }

            changes.Add(new SectionChanges(section.Code, at, seats.ToString()));
        }

        return new SeatStateDelta(before.Version, Version, SalesStopped, changes);
    }

    /// <summary>How many seats differ from <paramref name="before"/>.</summary>
    public int ChangedSeats(SeatStateSnapshot before)
    {
        var changed = 0;
        var now = Codes.AsSpan();
        var then = before.Codes.AsSpan();
        for (var i = now.CommonPrefixLength(then); i < now.Length; i++)
        {
            changed += now[i] != then[i] ? 1 : 0;
        }

        return changed;
    }
}
