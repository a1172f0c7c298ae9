using JasperFx.Events;
using Ticketing.Catalog.Concerts;
using Ticketing.Catalog.Products;
using Ticketing.Catalog.SoldOut;
using Ticketing.ServiceDefaults.Messaging;
using Integration = Ticketing.Contracts.Catalog;

namespace Ticketing.Catalog.Messaging;

/// <summary>
/// Which committed Catalog events the rest of the platform hears about, and in what shape. The relay publishes
/// them from the event store (the outbox), so they are never lost between commit and broker.
/// </summary>
public sealed class CatalogIntegrationEvents : IIntegrationEventMapper
{
    public IEnumerable<object> ToIntegrationMessages(IEvent domainEvent)
    {
        if (ToIntegrationMessage(domainEvent) is { } message)
        {
            yield return message;
        }
    }

    private static object? ToIntegrationMessage(IEvent domainEvent) => domainEvent.Data switch
    {
        ConcertPublished published => ToContract(published),
        ConcertCancelled { WasPublished: true } cancelled =>
            new Integration.ConcertCancelled(cancelled.ConcertId, cancelled.Reason, cancelled.CancelledAt),
        ProductListed listed => new Integration.ProductPublished(
            listed.ProductId, listed.Sku, listed.Name, listed.Artist, listed.Price, listed.Currency,
            listed.Stock, listed.LimitPerFan, listed.ReleaseAt, listed.ListedAt)
        {
            WaitingRoom = ToContract(listed.WaitingRoom),
            Names = listed.Names is { } names ? new Integration.ProductNames(names.Artist, names.Name) : null,
            Variants = listed.Variants?.Select(variant => new Integration.PublishedVariant(variant.Code, variant.Sku, variant.Name, variant.Stock)).ToList() ?? [],
            SoldByLuckyDraw = listed.SoldByLuckyDraw,
            LimitScope = listed.LimitScope == LimitScope.Variant ? "variant" : "product",
            Components = listed.Components?.Select(part => new Integration.BundleComponent(part.ProductId, part.Variant, part.Quantity)).ToList() ?? [],
        },
        ProductSoldOut soldOut => new Integration.ProductSoldOut(soldOut.ProductId, soldOut.SoldOutAt),
        ProductBackInStock back => new Integration.ProductBackInStock(back.ProductId, back.Available, back.At),
        ProductRestocked restocked =>
            new Integration.ProductRestocked(restocked.ProductId, restocked.Quantity, restocked.StockAfter, restocked.RestockedAt),
        _ => null,
    };

    private static Integration.ConcertPublished ToContract(ConcertPublished published)
    {
        var details = published.Details;
        return new Integration.ConcertPublished(
            published.ConcertId,
            details.Artist,
            details.Title,
            details.Venue,
            details.City,
            details.TimeZone,
            details.StartsAt,
            details.SaleOpensAt,
            details.TicketLimitPerFan,
            details.PriceTiers.Select(tier => new Integration.PriceTier(tier.Code, tier.Name, tier.Price, tier.Currency)).ToList(),
            details.Sections.Select(section => new Integration.SeatSection(
                section.Code,
                section.Tier,
                section.Rows.Select(row => new Integration.SeatRow(row.Label, row.Seats)).ToList())).ToList(),
            details.Capacity,
            published.PublishedAt)
        {
            WaitingRoom = ToContract(details.WaitingRoom),
            Names = details.Names is { } names ? new Integration.ConcertNames(names.Artist, names.Title, names.Venue, names.City) : null,
        };
    }

    private static Integration.WaitingRoom? ToContract(Shared.WaitingRoom? room) => room is null
        ? null
        : new Integration.WaitingRoom(room.OpensAt, room.AdmissionsPerMinute, room.MaxActive, room.PassMinutes);
}
