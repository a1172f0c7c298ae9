using JasperFx.Events;
using Marten.Events.Projections;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;

namespace Ticketing.Insights.Concerts;

/// <summary>How one concert is selling: capacity, held, sold and revenue, in total and by tier and section.</summary>
public sealed class ConcertSales
{
    public Guid Id { get; set; }
    public string Artist { get; set; } = "";
    public string Title { get; set; } = "";
    public string Venue { get; set; } = "";
    public string City { get; set; } = "";
    public string TimeZone { get; set; } = "UTC";
    public DateTimeOffset? StartsAt { get; set; }
    public DateTimeOffset? SaleOpensAt { get; set; }
    public string Currency { get; set; } = "";
    public int Capacity { get; set; }
    public int Held { get; set; }
    public int Sold { get; set; }
    public decimal Revenue { get; set; }
    public int HoldsPlaced { get; set; }
    public bool Cancelled { get; set; }
    public DateTimeOffset? SoldOutAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<TierSales> Tiers { get; set; } = [];
    public List<SectionSales> Sections { get; set; } = [];

    public TierSales Tier(string code)
    {
        var tier = Tiers.Find(t => t.Code == code);
        if (tier is null)
        {
            tier = new TierSales { Code = code, Name = code };
            Tiers.Add(tier);
        }

        return tier;
    }

    public SectionSales Section(string code)
    {
        var section = Sections.Find(s => s.Code == code);
        if (section is null)
        {
            section = new SectionSales { Code = code };
            Sections.Add(section);
        }

        return section;
    }

    /// <summary>The section of a seat id <c>SECTION-ROW-NUMBER</c>.</summary>
    public static string SectionOf(string seatId)
    {
        var last = seatId.LastIndexOf('-');
        var rowStart = last > 0 ? seatId.LastIndexOf('-', last - 1) : -1;
        return rowStart > 0 ? seatId[..rowStart] : seatId;
    }

    public string TierOfSeat(string seatId)
    {
        var section = Sections.Find(s => s.Code == SectionOf(seatId));
        return section?.Tier is { Length: > 0 } tier ? tier : "?";
    }
}

public sealed class TierSales
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public decimal Price { get; set; }
    public string Currency { get; set; } = "";
    public int Capacity { get; set; }
    public int Held { get; set; }
    public int Sold { get; set; }
    public decimal Revenue { get; set; }
    public DateTimeOffset? SoldOutAt { get; set; }
}

public sealed class SectionSales
{
    public string Code { get; set; } = "";
    public string Tier { get; set; } = "";
    public int Capacity { get; set; }
    public int Held { get; set; }
    public int Sold { get; set; }
}

/// <summary>
/// Counts move by sums only (held +n on a hold, −n on its release or sale), so they come out right whatever order
/// the messages of one hold arrived in; a seat's own status is in <see cref="RowSeatMap"/>.
/// </summary>
public sealed class ConcertSalesProjection : MultiStreamProjection<ConcertSales, Guid>
{
    public ConcertSalesProjection()
    {
        Identity<ConcertPublished>(e => e.ConcertId);
        Identity<ConcertCancelled>(e => e.ConcertId);
        Identity<SeatsHeld>(e => e.ConcertId);
        Identity<SeatsReleased>(e => e.ConcertId);
        Identity<TicketsIssued>(e => e.ConcertId);
    }

    public override ConcertSales? Evolve(ConcertSales? snapshot, Guid id, IEvent e)
    {
        if (e.Data is not (ConcertPublished or ConcertCancelled or SeatsHeld or SeatsReleased or TicketsIssued))
        {
            return snapshot;
        }

        var concert = snapshot ?? new ConcertSales { Id = id };
        switch (e.Data)
        {
            case ConcertPublished published:
                Publish(concert, published);
                concert.UpdatedAt = published.PublishedAt;
                break;
            case ConcertCancelled cancelled:
                concert.Cancelled = true;
                concert.UpdatedAt = cancelled.CancelledAt;
                break;
            case SeatsHeld held:
                concert.HoldsPlaced++;
                foreach (var seat in held.Seats)
                {
                    Move(concert, seat.SeatId, seat.Tier, held: +1, sold: 0, revenue: 0);
                }

                concert.UpdatedAt = held.HeldAt;
                break;
            case SeatsReleased { Reason: "refunded" } refunded:
                foreach (var seatId in refunded.SeatIds)
                {
                    var tier = concert.TierOfSeat(seatId);
                    Move(concert, seatId, tier, held: 0, sold: -1, revenue: -concert.Tier(tier).Price);
                }

                concert.UpdatedAt = refunded.ReleasedAt;
                break;
            case SeatsReleased released:
                foreach (var seatId in released.SeatIds)
                {
                    Move(concert, seatId, concert.TierOfSeat(seatId), held: -1, sold: 0, revenue: 0);
                }

                concert.UpdatedAt = released.ReleasedAt;
                break;
            case TicketsIssued issued:
                foreach (var ticket in issued.Tickets)
                {
                    Move(concert, ticket.SeatId, ticket.Tier, held: -1, sold: +1, revenue: ticket.Price);
                }

                concert.UpdatedAt = issued.IssuedAt;
                MarkSoldOut(concert, issued.IssuedAt);
                break;
        }

        return concert;
    }

    private static void Publish(ConcertSales concert, ConcertPublished published)
    {
        concert.Artist = published.Artist;
        concert.Title = published.Title;
        concert.Venue = published.Venue;
        concert.City = published.City;
        concert.TimeZone = published.TimeZone;
        concert.StartsAt = published.StartsAt;
        concert.SaleOpensAt = published.SaleOpensAt;
        concert.Capacity = published.Capacity;
        concert.Currency = published.PriceTiers.FirstOrDefault()?.Currency ?? "";
        foreach (var priceTier in published.PriceTiers)
        {
            var tier = concert.Tier(priceTier.Code);
            tier.Name = priceTier.Name;
            tier.Price = priceTier.Price;
            tier.Currency = priceTier.Currency;
            tier.Capacity = published.Sections.Where(s => s.Tier == priceTier.Code).Sum(s => s.Rows.Sum(r => r.Seats));
        }

        foreach (var seatSection in published.Sections)
        {
            var section = concert.Section(seatSection.Code);
            section.Tier = seatSection.Tier;
            section.Capacity = seatSection.Rows.Sum(r => r.Seats);
        }

        // Tiers in the order of the price list, sections in the order of the seat map.
        concert.Tiers = concert.Tiers.OrderBy(t => published.PriceTiers.ToList().FindIndex(p => p.Code == t.Code) is var i && i < 0 ? int.MaxValue : i).ToList();
    }

    private static void Move(ConcertSales concert, string seatId, string tierCode, int held, int sold, decimal revenue)
    {
        var tier = concert.Tier(tierCode);
        var section = concert.Section(ConcertSales.SectionOf(seatId));
        tier.Held += held;
        tier.Sold += sold;
        tier.Revenue += revenue;
        section.Held += held;
        section.Sold += sold;
        concert.Held += held;
        concert.Sold += sold;
        concert.Revenue += revenue;
        if (sold < 0)
        {
            tier.SoldOutAt = null;
            concert.SoldOutAt = null;
        }
    }

    private static void MarkSoldOut(ConcertSales concert, DateTimeOffset at)
    {
        foreach (var tier in concert.Tiers.Where(t => t.Capacity > 0 && t.Sold >= t.Capacity && t.SoldOutAt is null))
        {
            tier.SoldOutAt = at;
        }

        if (concert.Capacity > 0 && concert.Sold >= concert.Capacity && concert.SoldOutAt is null)
        {
            concert.SoldOutAt = at;
        }
    }
}
