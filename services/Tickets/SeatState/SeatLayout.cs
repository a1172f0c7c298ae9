using System.Security.Cryptography;
using System.Text.Json;
using Ticketing.Tickets.Inventory;

namespace Ticketing.Tickets.SeatState;

/// <summary>
/// One byte per seat in the seat-state vector, the same letters the JSON shows: <c>a</c> available, <c>h</c> held,
/// <c>s</c> sold.
/// </summary>
public static class SeatCodes
{
    public const byte Available = (byte)'a';
    public const byte Held = (byte)'h';
    public const byte Sold = (byte)'s';
}

public sealed record LayoutTier(string Code, string Name, decimal Price, string Currency);

/// <summary>A row of <see cref="Seats"/> seats numbered 1 to <see cref="Seats"/>; seat n's id is <c>{section}-{row}-{n}</c>.</summary>
public sealed record LayoutRow(string Label, int Seats);

public sealed record LayoutSection(string Code, string Tier, int Capacity, IReadOnlyList<LayoutRow> Rows);

/// <summary>
/// <c>GET /api/tickets/concerts/{id}/layout</c>: the venue as sold for this concert (sections, rows, seat numbers,
/// tiers and prices). It never changes once the concert is on sale (the Catalog refuses to revise a published
/// concert), so it is cached for a year; <see cref="LayoutVersion"/> names it, and every seat state says which
/// layout it is a state of.
/// </summary>
public sealed record SeatLayoutResponse(
    Guid ConcertId,
    string LayoutVersion,
    int Capacity,
    IReadOnlyList<LayoutTier> Tiers,
    IReadOnlyList<LayoutSection> Sections);

/// <summary>A section's place in the seat-state vector: its seats are <c>[Offset, Offset + Capacity)</c>.</summary>
public sealed record SectionSpan(string Code, string Tier, int TierIndex, int Offset, int Capacity);

/// <summary>A row's place in the seat-state vector: seat n of the row is at <c>Offset + n - 1</c>.</summary>
public sealed record RowSpan(string Section, string Row, int Offset, int Seats);

/// <summary>
/// A concert's layout and the order of its seats in every seat-state vector: sections as listed, rows front to back,
/// seats by number (the order of <see cref="ConcertInventory.Seats"/>).
/// </summary>
public sealed class SeatLayout
{
    private SeatLayout(SeatLayoutResponse document, byte[] json, IReadOnlyList<SectionSpan> sections, IReadOnlyList<RowSpan> rows)
    {
        Document = document;
        Json = json;
        Sections = sections;
        Rows = rows;
    }

    public Guid ConcertId => Document.ConcertId;

    public string Version => Document.LayoutVersion;

    public int Capacity => Document.Capacity;

    public SeatLayoutResponse Document { get; }

    /// <summary>The document serialized once, as every request sends it.</summary>
    public byte[] Json { get; }

    public IReadOnlyList<SectionSpan> Sections { get; }

    public IReadOnlyList<RowSpan> Rows { get; }

    public static SeatLayout From(ConcertInventory inventory, JsonSerializerOptions json)
    {
        var tiers = inventory.Tiers.Select(tier => new LayoutTier(tier.Code, tier.Name, tier.Price, tier.Currency)).ToList();
        var tierIndex = tiers.Select((tier, index) => (tier.Code, index)).ToDictionary(pair => pair.Code, pair => pair.index, StringComparer.Ordinal);
        var sections = new List<LayoutSection>();
        var sectionSpans = new List<SectionSpan>();
        var rowSpans = new List<RowSpan>();
        var offset = 0;
        foreach (var section in inventory.Sections)
        {
            var capacity = section.Rows.Sum(row => row.Seats);
            sections.Add(new LayoutSection(section.Code, section.Tier, capacity, section.Rows.Select(row => new LayoutRow(row.Label, row.Seats)).ToList()));
            sectionSpans.Add(new SectionSpan(section.Code, section.Tier, tierIndex.GetValueOrDefault(section.Tier), offset, capacity));
            foreach (var row in section.Rows)
            {
                rowSpans.Add(new RowSpan(section.Code, row.Label, offset, row.Seats));
                offset += row.Seats;
            }
        }

        // The version is a hash of the layout itself: the same venue and prices give the same version.
        var unversioned = new SeatLayoutResponse(inventory.Id, "", offset, tiers, sections);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(unversioned, json), hash);
        var document = unversioned with { LayoutVersion = Convert.ToHexStringLower(hash[..8]) };
        return new SeatLayout(document, JsonSerializer.SerializeToUtf8Bytes(document, json), sectionSpans, rowSpans);
    }
}
