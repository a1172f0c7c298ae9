namespace Ticketing.Contracts.Catalog;

/// <summary>A price tier of a concert: every seat of a section in this tier costs <c>Price</c> in <c>Currency</c> (ISO 4217).</summary>
public sealed record PriceTier(string Code, string Name, decimal Price, string Currency);

/// <summary>A section of a venue: its tier and its rows, in order from the stage.</summary>
public sealed record SeatSection(string Code, string Tier, IReadOnlyList<SeatRow> Rows);

/// <summary>A row of seats numbered 1..<c>Seats</c>. Seat ids are <c>SECTION-ROW-NUMBER</c>, e.g. <c>A-1-7</c>.</summary>
public sealed record SeatRow(string Label, int Seats);
