using JasperFx.Events.Projections;
using MassTransit;
using Ticketing.Catalog.Concerts;
using Ticketing.Catalog.ExchangeRates;
using Ticketing.Catalog.Messaging;
using Ticketing.Catalog.Pictures;
using Ticketing.Catalog.Products;
using Ticketing.Catalog.SoldOut;
using Ticketing.Catalog.Stock;
using Ticketing.ServiceDefaults.Batching;
using Ticketing.ServiceDefaults.Messaging;
using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.Catalog;

/// <summary>Names the Catalog service's assembly, for hosts and tests.</summary>
public sealed class CatalogService
{
    private CatalogService()
    {
    }
}

internal static class Extensions
{
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.AddMartenStore(options =>
            {
                // Inline snapshots: an operator reads what they just wrote, and the stock check reads the
                // product's current numbers under its lock.
                options.Projections.Snapshot<Concert>(SnapshotLifecycle.Inline);
                options.Projections.Snapshot<Product>(SnapshotLifecycle.Inline);
                options.Projections.Snapshot<ExchangeRateSheet>(SnapshotLifecycle.Inline);
                options.Schema.For<Concert>().Index(concert => concert.Details.Artist);
                options.Schema.For<Product>().UniqueIndex(product => product.Sku).Index(product => product.Artist);
                options.Schema.For<StockReservation>();
                options.Schema.For<FanProductCount>();
                options.Schema.For<ProductSoldOutState>();
                options.Schema.For<StoredImage>().Duplicate(image => image.OwnerId);
            })
            .AddIntegrationEventRelay<CatalogIntegrationEvents>();

        builder.Services.AddScoped<StockLedger>();
        builder.Services.AddOptions<ImageOptions>().BindConfiguration("Catalog:Images");
        builder.Services.AddSingleton<PictureCache>();
        builder.Services.AddSingleton<StockWrites>();
        builder.Services.AddHostedService<StockMetrics>();
        builder.Services.AddOptions<SoldOutCheckOptions>().BindConfiguration("Catalog:SoldOut");
        builder.Services.AddHostedService<ProductSoldOutCheck>();
        builder.AddMessaging("catalog", bus =>
        {
            bus.AddConsumer<ReserveStockConsumer, GroupedConsumerDefinition<ReserveStockConsumer>>();
            bus.AddConsumer<SellReservedStockConsumer, GroupedConsumerDefinition<SellReservedStockConsumer>>();
            bus.AddConsumer<ReleaseStockConsumer, GroupedConsumerDefinition<ReleaseStockConsumer>>();
        });
        return builder;
    }

    public static WebApplication MapCatalogApi(this WebApplication app)
    {
        app.MapConcerts();
        app.MapProducts();
        app.MapExchangeRates();
        app.MapPictures();
        return app;
    }
}
