using JasperFx.Events;
using Marten.Events.Projections;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Insights.Products;

public enum ProductLineState
{
    Reserved,
    Sold,
}

/// <summary>One order's line of a product, until it is released or returned: what it costs and whether it is paid.</summary>
public sealed record ProductOrderLine(int Quantity, decimal UnitPrice, ProductLineState State);

/// <summary>How one merch product is selling: stock received, reserved by open orders, sold, and revenue.</summary>
public sealed class ProductSales
{
    public Guid Id { get; set; }
    public string Sku { get; set; } = "";
    public string Name { get; set; } = "";
    public string Artist { get; set; } = "";
    public decimal Price { get; set; }
    public string Currency { get; set; } = "";
    public int LimitPerFan { get; set; }
    public DateTimeOffset? ReleaseAt { get; set; }
    public int Stock { get; set; }
    public int Reserved { get; set; }
    public int Sold { get; set; }
    public int Returned { get; set; }
    public decimal Revenue { get; set; }
    public DateTimeOffset? SoldOutAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Open and sold lines by order: a commit or a refund needs the price the order reserved at.</summary>
    public Dictionary<Guid, ProductOrderLine> Orders { get; set; } = [];

    public int Available => Math.Max(0, Stock - Reserved - Sold);
}

/// <summary>
/// A product's document gathers its own events and the stock lines of every order that names it; each line moves
/// its quantity from reserved to sold (or back) once, whichever order the messages of one order arrived in.
/// </summary>
public sealed class ProductSalesProjection : MultiStreamProjection<ProductSales, Guid>
{
    public ProductSalesProjection()
    {
        Identity<ProductPublished>(e => e.ProductId);
        Identity<ProductRestocked>(e => e.ProductId);
        Identities<StockReserved>(e => e.Lines.Select(line => line.ProductId).Distinct().ToList());
        Identities<StockCommitted>(e => e.Lines.Select(line => line.ProductId).Distinct().ToList());
        Identities<StockReleased>(e => e.Lines.Select(line => line.ProductId).Distinct().ToList());
    }

    public override ProductSales Evolve(ProductSales? snapshot, Guid id, IEvent e)
    {
        var product = snapshot ?? new ProductSales { Id = id };
        switch (e.Data)
        {
            case ProductPublished published:
                product.Sku = published.Sku;
                product.Name = published.Name;
                product.Artist = published.Artist;
                product.Price = published.Price;
                product.Currency = published.Currency;
                product.LimitPerFan = published.LimitPerFan;
                product.ReleaseAt = published.ReleaseAt;
                product.Stock = Math.Max(product.Stock, published.Stock);
                product.UpdatedAt = published.PublishedAt;
                break;
            case ProductRestocked restocked:
                product.Stock = Math.Max(product.Stock, restocked.Stock);
                product.SoldOutAt = product.Available > 0 ? null : product.SoldOutAt;
                product.UpdatedAt = restocked.RestockedAt;
                break;
            case StockReserved reserved:
                foreach (var line in reserved.Lines.Where(l => l.ProductId == id))
                {
                    Reserve(product, reserved.OrderId, line.Quantity, line.UnitPrice);
                }

                product.UpdatedAt = reserved.ReservedAt;
                break;
            case StockCommitted committed:
                foreach (var line in committed.Lines.Where(l => l.ProductId == id))
                {
                    Sell(product, committed.OrderId, line.Quantity);
                }

                product.UpdatedAt = committed.CommittedAt;
                break;
            case StockReleased released:
                foreach (var line in released.Lines.Where(l => l.ProductId == id))
                {
                    Release(product, released.OrderId, line.Quantity);
                }

                product.UpdatedAt = released.ReleasedAt;
                break;
        }

        if (product.Stock > 0 && product.Available == 0)
        {
            product.SoldOutAt ??= product.UpdatedAt;
        }
        else
        {
            product.SoldOutAt = null;
        }

        return product;
    }

    private static void Reserve(ProductSales product, Guid orderId, int quantity, decimal unitPrice)
    {
        if (product.Orders.TryGetValue(orderId, out var sold) && sold.State == ProductLineState.Sold)
        {
            // The sale was recorded first, at the listed price: now the reserved price is known.
            product.Revenue += sold.Quantity * (unitPrice - sold.UnitPrice);
            product.Orders[orderId] = sold with { UnitPrice = unitPrice };
            return;
        }

        product.Orders[orderId] = new ProductOrderLine(quantity, unitPrice, ProductLineState.Reserved);
        product.Reserved += quantity;
    }

    private static void Sell(ProductSales product, Guid orderId, int quantity)
    {
        if (product.Orders.TryGetValue(orderId, out var line))
        {
            if (line.State == ProductLineState.Sold)
            {
                return;
            }

            product.Reserved -= line.Quantity;
            product.Sold += line.Quantity;
            product.Revenue += line.Quantity * line.UnitPrice;
            product.Orders[orderId] = line with { State = ProductLineState.Sold };
            return;
        }

        product.Sold += quantity;
        product.Revenue += quantity * product.Price;
        product.Orders[orderId] = new ProductOrderLine(quantity, product.Price, ProductLineState.Sold);
    }

    private static void Release(ProductSales product, Guid orderId, int quantity)
    {
        if (!product.Orders.Remove(orderId, out var line))
        {
            return;
        }

        if (line.State == ProductLineState.Sold)
        {
            product.Sold -= line.Quantity;
            product.Returned += line.Quantity;
            product.Revenue -= line.Quantity * line.UnitPrice;
        }
        else
        {
            product.Reserved -= line.Quantity;
        }
    }
}
