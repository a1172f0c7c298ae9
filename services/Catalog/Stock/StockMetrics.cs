using System.Diagnostics.Metrics;
using Marten;
using Ticketing.Catalog.Products;

namespace Ticketing.Catalog.Stock;

/// <summary>
/// Merch stock per product (meter <c>Ticketing.Catalog</c>): units available, reserved for orders in checkout, and
/// sold, labelled with the SKU. Read from the products' committed snapshots every <c>Catalog:Stock:MetricsInterval</c>
/// (5 s by default), one small query for the 500 newest products, so every instance reports the same numbers whichever
/// took the orders.
/// </summary>
public sealed partial class StockMetrics : BackgroundService
{
    public const string MeterName = "Ticketing.Catalog";

    private const int MostProducts = 500;

    private readonly IDocumentStore store;
    private readonly TimeSpan interval;
    private readonly ILogger<StockMetrics> logger;
    private volatile IReadOnlyList<ProductStock> products = [];

    public StockMetrics(IMeterFactory meters, IDocumentStore store, IConfiguration configuration, ILogger<StockMetrics> logger)
    {
        this.store = store;
        this.logger = logger;
        interval = configuration.GetValue("Catalog:Stock:MetricsInterval", TimeSpan.FromSeconds(5));
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("ticketing.stock.available", () => PerProduct(product => product.Stock - product.Reserved - product.Sold), "{item}",
            "Merch units on sale (neither reserved nor sold), by SKU.");
        meter.CreateObservableGauge("ticketing.stock.reserved", () => PerProduct(product => product.Reserved), "{item}",
            "Merch units reserved for orders in checkout, by SKU.");
        meter.CreateObservableGauge("ticketing.stock.sold", () => PerProduct(product => product.Sold), "{item}",
            "Merch units sold, by SKU.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await using var session = store.QuerySession();
                var newest = await session.Query<Product>()
                    .OrderByDescending(product => product.ListedAt)
                    .Take(MostProducts)
                    .Select(product => new { product.Sku, product.Stock, product.Reserved, product.Sold })
                    .ToListAsync(stoppingToken);
                products = newest.Select(product => new ProductStock(product.Sku, product.Stock, product.Reserved, product.Sold)).ToList();
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogReadFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private IEnumerable<Measurement<long>> PerProduct(Func<ProductStock, int> value) =>
        products.Select(product => new Measurement<long>(value(product), new KeyValuePair<string, object?>("sku", product.Sku)));

    private sealed record ProductStock(string Sku, int Stock, int Reserved, int Sold);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading the stock for the metrics failed; trying again at the next interval")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
