using Marten;
using MassTransit;
using Microsoft.Extensions.Caching.Memory;
using Ticketing.Contracts.Catalog;
using Ticketing.ServiceDefaults.Caching;
using Ticketing.ServiceDefaults.Messaging;

namespace Ticketing.Orders.Products;

/// <summary>
/// Orders' own copy of what a product costs, kept from the Catalog's ProductPublished, so that an order can be
/// priced and checked without calling the Catalog at checkout.
/// </summary>
/// <remarks><c>HasWaitingRoom</c>: the product is a drop with a waiting room, so checking it out needs the fan's admission pass.</remarks>
public sealed record PriceBookEntry(
    Guid Id, string Sku, string Name, string Artist, decimal Price, string Currency, int LimitPerFan, DateTimeOffset? ReleaseAt, bool HasWaitingRoom = false)
{
    /// <summary>The codes of the product's variants; an order line must name one of them (none for a product without).</summary>
    public IReadOnlyList<string> Variants { get; init; } = [];

    /// <summary>A lucky draw decides who may buy the product: checking it out needs the winner's purchase right (X-Admission-Pass).</summary>
    public bool HasLuckyDraw { get; init; }
}

public sealed class PriceBookConsumer(ISessionFactory sessions, ILogger<PriceBookConsumer> logger) : BatchConsumer<ProductPublished>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(ProductPublished product, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        session.Store(new PriceBookEntry(
            product.ProductId, product.Sku, product.Name, product.Artist, product.Price, product.Currency, product.LimitPerFan, product.ReleaseAt,
            HasWaitingRoom: product.WaitingRoom is not null)
        {
            Variants = product.Variants.Select(variant => variant.Code).ToList(),
            HasLuckyDraw = product.SoldByLuckyDraw,
        });
        await session.SaveChangesAsync(cancellationToken);
        return [];
    }
}

/// <summary>
/// The price book as checkout reads it: each product is read once per <see cref="Freshness"/> however many fans
/// check it out at once (during a drop every order names the same product). Checkout only validates against it —
/// the price an order pays comes from the Catalog's reservation — so an entry a second old is good enough. An
/// unknown product is not remembered: it is asked for again, so a product published a moment ago is found.
/// </summary>
public sealed class PriceBook(IDocumentStore store, IMemoryCache cache)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    public async Task<IReadOnlyDictionary<Guid, PriceBookEntry>> FindAsync(IReadOnlyCollection<Guid> productIds, CancellationToken cancellationToken)
    {
        var entries = await Task.WhenAll(productIds.Select(async productId =>
        {
            var key = (nameof(PriceBook), productId);
            var entry = await cache.GetOrLoadAsync(key, Freshness, token => LoadAsync(productId, token), cancellationToken);
            if (entry is null)
            {
                cache.Remove(key);
            }

            return entry;
        }));
        return entries.OfType<PriceBookEntry>().ToDictionary(entry => entry.Id);
    }

    private async Task<PriceBookEntry?> LoadAsync(Guid productId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<PriceBookEntry>(productId, cancellationToken);
    }
}
