using Marten;
using Microsoft.Extensions.Options;
using Ticketing.Catalog.Products;
using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.Catalog.SoldOut;

// Tells the waiting room when a product drop has no unit left (and when units come back), so the Queue service can
// tell every waiting fan at once instead of letting them wait for nothing. A small check beside the stock ledger,
// not inside it: it reads the products' numbers as committed and announces changes through the outbox.

/// <summary>A product with a waiting room ran out: every unit is reserved or sold.</summary>
public sealed record ProductSoldOut(Guid ProductId, DateTimeOffset SoldOutAt);

/// <summary>A sold-out product with a waiting room has units to reserve again.</summary>
public sealed record ProductBackInStock(Guid ProductId, int Available, DateTimeOffset At);

/// <summary>What was last announced of one product: whether it is sold out.</summary>
public sealed record ProductSoldOutState(Guid Id, bool SoldOut, DateTimeOffset ChangedAt);

/// <summary>Section <c>Catalog:SoldOut</c>.</summary>
public sealed class SoldOutCheckOptions
{
    /// <summary>How often products with a waiting room are checked.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// On one instance at a time: every <see cref="SoldOutCheckOptions.Interval"/>, compares each product with a waiting
/// room (available = stock − reserved − sold) with what was last announced, and appends <see cref="ProductSoldOut"/>
/// or <see cref="ProductBackInStock"/> to the announcements stream when it changed; the outbox relay publishes them.
/// </summary>
public sealed class ProductSoldOutCheck(
    IConfiguration configuration,
    IDocumentStore store,
    IOptions<SoldOutCheckOptions> options,
    TimeProvider time,
    ILogger<ProductSoldOutCheck> logger) : SingleInstanceWorker(configuration, time, logger)
{
    /// <summary>One stream for every announcement: written only by this check, so appends never contend.</summary>
    public static readonly Guid AnnouncementsStreamId = new("5d0b8f2e-6c1a-4f3e-9a57-0c6f1e2b7d41");

    protected override long LockKey => 0x6361743A736F6C64; // "cat:sold"

    protected override TimeSpan Interval => options.Value.Interval;

    protected override async Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var products = await session.Query<Product>()
            .Where(product => product.WaitingRoom != null)
            .Select(product => new { product.Id, product.Stock, product.Reserved, product.Sold })
            .ToListAsync(cancellationToken);
        if (products.Count == 0)
        {
            return [];
        }

        var announced = (await session.LoadManyAsync<ProductSoldOutState>(cancellationToken, products.Select(product => product.Id)))
            .ToDictionary(state => state.Id, state => state.SoldOut);
        return products
            .Where(product => product.Stock - product.Reserved - product.Sold <= 0 != announced.GetValueOrDefault(product.Id))
            .Select(product => product.Id)
            .ToList();
    }

    protected override async Task FireAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var product = await session.LoadAsync<Product>(id, cancellationToken);
        if (product is null)
        {
            return;
        }

        var now = Time.GetUtcNow();
        var state = await session.LoadAsync<ProductSoldOutState>(id, cancellationToken);
        var soldOut = product.Available <= 0;
        if (soldOut == (state?.SoldOut ?? false))
        {
            return;
        }

        session.Events.Append(AnnouncementsStreamId, soldOut
            ? new ProductSoldOut(id, now)
            : new ProductBackInStock(id, product.Available, now));
        session.Store(new ProductSoldOutState(id, soldOut, now));
        await session.SaveChangesAsync(cancellationToken);
    }
}
