using Marten;
using MassTransit;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Orders.Products;

/// <summary>
/// Orders' own copy of what a product costs, kept from the Catalog's ProductPublished, so that an order can be
/// priced and checked without calling the Catalog at checkout.
/// </summary>
public sealed record PriceBookEntry(Guid Id, string Sku, string Name, string Artist, decimal Price, string Currency, int LimitPerFan, DateTimeOffset? ReleaseAt);

public sealed class PriceBookConsumer(IDocumentSession session) : IConsumer<ProductPublished>
{
    public async Task Consume(ConsumeContext<ProductPublished> context)
    {
        var product = context.Message;
        session.Store(new PriceBookEntry(
            product.ProductId, product.Sku, product.Name, product.Artist, product.Price, product.Currency, product.LimitPerFan, product.ReleaseAt));
        await session.SaveChangesAsync(context.CancellationToken);
    }
}
