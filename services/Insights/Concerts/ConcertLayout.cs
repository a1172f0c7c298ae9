using JasperFx.Events;
using Marten.Events.Projections;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Insights.Concerts;

/// <summary>
/// A concert's rows, section by section in seat-map order, for drawing the heat map. Written once, when the concert is
/// published, and kept apart from <see cref="ConcertSales"/>, which is rewritten with every page of sales: a stadium's
/// 1,500 rows are not carried along each time.
/// </summary>
public sealed class ConcertLayout
{
    public Guid Id { get; set; }
    public List<SectionLayout> Sections { get; set; } = [];
}

public sealed record SectionLayout(string Code, string Tier, IReadOnlyList<RowLayout> Rows);

public sealed record RowLayout(string Label, int Seats);

public sealed class ConcertLayoutProjection : MultiStreamProjection<ConcertLayout, Guid>
{
    public ConcertLayoutProjection()
    {
        Identity<ConcertPublished>(e => e.ConcertId);
    }

    public override ConcertLayout? Evolve(ConcertLayout? snapshot, Guid id, IEvent e) => e.Data is ConcertPublished published
        ? new ConcertLayout
        {
            Id = id,
            Sections = published.Sections
                .Select(section => new SectionLayout(section.Code, section.Tier, section.Rows.Select(row => new RowLayout(row.Label, row.Seats)).ToList()))
                .ToList(),
        }
        : snapshot;
}
