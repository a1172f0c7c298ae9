using JasperFx.Events;
using Marten.Events.Projections;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Insights.Products;

public enum ProductLineState
{
    /// <summary>Reserved, not yet paid or given back.</summary>
    Reserved,

    /// <summary>Paid before its reservation was heard of: counted at the listed price until the reserved price is known.</summary>
    SoldBeforeReserved,

    /// <summary>Given back before its reservation was heard of: the late reservation must not count.</summary>
    ReleasedBeforeReserved,

    /// <summary>Refunded before its sale was heard of (the two are recorded in either order): the late sale must not count.</summary>
    ReturnedBeforeSold,
}

/// <summary>One order's line of a product that is still moving: what it costs and where it stands.</summary>
public sealed record ProductOrderLine(int Quantity, decimal UnitPrice, ProductLineState State);

/// <summary>How one merch product is selling: stock received, reserved by open orders, sold, and revenue.</summary>
public sealed class ProductSales
{
    private const int RecentKept = 50;

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

    /// <summary>
    /// Only the lines still moving (reserved, or heard of out of order): a line that is settled (sold at its reserved
    /// price, or given back) leaves, so the document stays small however many orders a drop has.
    /// </summary>
    public Dictionary<Guid, ProductOrderLine> OpenLines { get; set; } = [];

    /// <summary>The orders that touched the product last, newest first.</summary>
    public List<Guid> RecentOrders { get; set; } = [];

    public int Available => Math.Max(0, Stock - Reserved - Sold);

    public void Touched(Guid orderId)
    {
        RecentOrders.Remove(orderId);
        RecentOrders.Insert(0, orderId);
        if (RecentOrders.Count > RecentKept)
        {
            RecentOrders.RemoveAt(RecentKept);
        }
    }
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

                product.Touched(reserved.OrderId);
                product.UpdatedAt = reserved.ReservedAt;
                break;
            case StockCommitted committed:
                foreach (var line in committed.Lines.Where(l => l.ProductId == id))
                {
                    Sell(product, committed.OrderId, line.Quantity);
                }

                product.Touched(committed.OrderId);
                product.UpdatedAt = committed.CommittedAt;
                break;
            case StockReleased released:
                foreach (var line in released.Lines.Where(l => l.ProductId == id))
                {
                    var price = released.PricedLines.FirstOrDefault(priced => priced.ProductId == id)?.UnitPrice ?? product.Price;
                    Release(product, released.OrderId, line.Quantity, price, released.WasSold);
                }

                product.Touched(released.OrderId);
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
        switch (product.OpenLines.GetValueOrDefault(orderId))
        {
            case { State: ProductLineState.SoldBeforeReserved } sold:
                // The sale was counted first, at the listed price: now the reserved price is known, and the line is settled.
                product.Revenue += sold.Quantity * (unitPrice - sold.UnitPrice);
                product.OpenLines.Remove(orderId);
                return;
            case { State: ProductLineState.ReleasedBeforeReserved }:
                product.OpenLines.Remove(orderId);
                return;
            case { State: ProductLineState.Reserved }:
                return;
        }

        product.OpenLines[orderId] = new ProductOrderLine(quantity, unitPrice, ProductLineState.Reserved);
        product.Reserved += quantity;
    }

    private static void Sell(ProductSales product, Guid orderId, int quantity)
    {
        if (product.OpenLines.TryGetValue(orderId, out var line))
        {
            if (line.State == ProductLineState.Reserved)
            {
                product.Reserved -= line.Quantity;
                product.Sold += line.Quantity;
                product.Revenue += line.Quantity * line.UnitPrice;
                product.OpenLines.Remove(orderId);
            }
            else if (line.State == ProductLineState.ReturnedBeforeSold)
            {
                product.OpenLines.Remove(orderId); // counted as sold and returned by the refund
            }

            return;
        }

        product.Sold += quantity;
        product.Revenue += quantity * product.Price;
        product.OpenLines[orderId] = new ProductOrderLine(quantity, product.Price, ProductLineState.SoldBeforeReserved);
    }

    private static void Release(ProductSales product, Guid orderId, int quantity, decimal unitPrice, bool wasSold)
    {
        if (wasSold && product.OpenLines.GetValueOrDefault(orderId) is { State: ProductLineState.Reserved } reserved)
        {
            // The refund is recorded before the sale: the units leave reserved for returned, and the sale, when it
            // comes, changes nothing (sold and revenue never counted them).
            product.Reserved -= reserved.Quantity;
            product.Returned += reserved.Quantity;
            product.OpenLines[orderId] = reserved with { State = ProductLineState.ReturnedBeforeSold };
            return;
        }

        if (wasSold)
        {
            product.Sold -= quantity;
            product.Returned += quantity;
            if (product.OpenLines.Remove(orderId, out var unsettled))
            {
                // Sold before its reservation was heard of: the sale's revenue goes, and the late reservation must not count.
                product.Revenue -= quantity * unsettled.UnitPrice;
                product.OpenLines[orderId] = unsettled with { State = ProductLineState.ReleasedBeforeReserved };
            }
            else
            {
                product.Revenue -= quantity * unitPrice;
            }

            return;
        }

        if (product.OpenLines.Remove(orderId, out var line))
        {
            product.Reserved -= line.Quantity;
            return;
        }

        product.OpenLines[orderId] = new ProductOrderLine(quantity, unitPrice, ProductLineState.ReleasedBeforeReserved);
    }
}
