using System.Globalization;
using Marten;
using Microsoft.Extensions.Options;
using Ticketing.Insights.Concerts;
using Ticketing.Insights.Orders;
using Ticketing.Insights.Products;
using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.Insights.Overview;

/// <summary>Reads the projections into the API's shapes. Everything but "stuck" (which depends on the clock) is a projection's number.</summary>
public sealed class InsightsQueries(IDocumentStore store, IOptions<InsightsOptions> options, TimeProvider time)
{
    /// <summary>Placed-at of an order whose OrderPlaced was not recorded yet.</summary>
    private static readonly DateTimeOffset Unplaced = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The condition of the pending orders' partial index on <c>placed_at</c> (Extensions), as SQL.</summary>
    public const string PendingCondition = $"status = '{nameof(OrderActivityStatus.Pending)}'";

    public async Task<OverviewResponse> OverviewAsync(long version, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        await using var session = store.QuerySession();
        var overview = await session.LoadAsync<SalesOverview>(SalesOverview.OnlyId, cancellationToken) ?? new SalesOverview();
        var concerts = await session.Query<ConcertSales>().ToListAsync(cancellationToken);
        var products = await session.Query<ProductSales>().ToListAsync(cancellationToken);
        // Pending orders are found in a partial index of the pending ones only (Extensions), in SQL with its condition
        // written out (DocumentColumns.TableOf).
        var pending = (int)(await session.AdvancedSql.QueryAsync<long>(
            $"select count(*) from {store.TableOf<OrderActivity>()} where {PendingCondition} and placed_at > ?", cancellationToken, Unplaced)).Single();
        var recent = await session.Query<OrderActivity>()
            .OrderByDescending(o => o.UpdatedAt)
            .ThenBy(o => o.Id)
            .Take(settings.RecentOrders)
            .ToListAsync(cancellationToken);
        var stuckBefore = now - settings.StuckOrderAfter;
        // The documents in one statement: Marten adds the select of OrderActivity's table to a where clause.
        var stuck = await session.QueryAsync<OrderActivity>(
            $"where {PendingCondition} and placed_at > ? and placed_at < ? order by placed_at, id limit 50",
            cancellationToken,
            Unplaced,
            stuckBefore);

        var concertNames = concerts.ToDictionary(c => c.Id, c => Display(c));
        var concertSummaries = concerts
            .OrderBy(c => c.Cancelled).ThenBy(c => c.StartsAt ?? DateTimeOffset.MaxValue).ThenBy(c => c.Id)
            .Select(Summary).ToList();
        var productSummaries = products.OrderBy(p => p.Artist).ThenBy(p => p.Name).ThenBy(p => p.Id).Select(Summary).ToList();

        var revenue = concerts.Where(c => c.Currency.Length > 0).Select(c => (c.Currency, c.Revenue))
            .Concat(products.Where(p => p.Currency.Length > 0).Select(p => (p.Currency, p.Revenue)))
            .GroupBy(r => r.Currency)
            .Select(g => new Amount(g.Key, g.Sum(r => r.Revenue)))
            .OrderByDescending(a => a.Value)
            .ToList();

        var since = SalesOverview.MinuteKey(now - settings.PerMinuteWindow);
        var perMinute = overview.Minutes
            .Where(m => string.CompareOrdinal(m.Key, since) >= 0)
            .Select(m => new MinutePoint(
                DateTimeOffset.Parse(m.Key, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                m.Value.Placed, m.Value.Confirmed, m.Value.Cancelled, m.Value.Revenue))
            .ToList();

        var capacity = concerts.Where(c => !c.Cancelled).Sum(c => c.Capacity);
        var held = concerts.Where(c => !c.Cancelled).Sum(c => c.Held);
        var sold = concerts.Where(c => !c.Cancelled).Sum(c => c.Sold);
        return new OverviewResponse(
            now,
            version,
            new OrderCounts(overview.OrdersPlaced, overview.OrdersConfirmed, overview.OrdersCancelled, overview.OrdersRefunded, pending,
                overview.CancelledByReason),
            new PaymentCounts(overview.OrdersConfirmed + overview.PaymentsDeclined, overview.PaymentsDeclined, overview.PaymentDeclineRate),
            revenue,
            new SeatCounts(capacity, held, sold, Math.Max(0, capacity - held - sold)),
            new MerchCounts(products.Sum(p => p.Stock), products.Sum(p => p.Reserved), products.Sum(p => p.Sold), products.Sum(p => p.Available)),
            concertSummaries,
            productSummaries,
            perMinute,
            recent.Select(o => Recent(o, concertNames)).ToList(),
            stuck.Select(o => Recent(o, concertNames)).ToList(),
            Alerts(concerts, products, stuck, settings, now));
    }

    public async Task<ConcertInsightsResponse?> ConcertAsync(Guid concertId, long version, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var concert = await session.LoadAsync<ConcertSales>(concertId, cancellationToken);
        if (concert is null)
        {
            return null;
        }

        var rows = (await session.Query<RowSeatMap>().Where(map => map.ConcertId == concertId).ToListAsync(cancellationToken))
            .ToDictionary(map => map.Id);
        var sections = concert.Sections
            .Select(s => new SectionSummary(s.Code, s.Tier, s.Capacity, s.Held, s.Sold, Math.Max(0, s.Capacity - s.Held - s.Sold), Ratio(s.Sold, s.Capacity)))
            .ToList();
        var layout = await session.LoadAsync<ConcertLayout>(concertId, cancellationToken);
        var seatMap = new SeatMapResponse((layout?.Sections ?? [])
            .Select(s => new SeatMapSection(s.Code, s.Tier, s.Rows
                .Select(row => new SeatMapRow(row.Label, string.Create(row.Seats, (Row: $"{s.Code}-{row.Label}", Rows: rows, ConcertId: concertId), static (span, state) =>
                {
                    var taken = state.Rows.GetValueOrDefault(RowSeatMap.IdOfRow(state.ConcertId, state.Row));
                    for (var i = 0; i < span.Length; i++)
                    {
                        span[i] = taken?.StatusCode($"{state.Row}-{i + 1}") ?? 'a';
                    }
                })))
                .ToList()))
            .ToList());
        return new ConcertInsightsResponse(Summary(concert), sections, seatMap, version);
    }

    public async Task<ProductInsightsResponse?> ProductAsync(Guid productId, long version, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var product = await session.LoadAsync<ProductSales>(productId, cancellationToken);
        if (product is null)
        {
            return null;
        }

        var orderIds = product.RecentOrders;
        var orders = orderIds.Count == 0
            ? []
            : (await session.LoadManyAsync<OrderActivity>(cancellationToken, orderIds))
                .OrderByDescending(o => o.UpdatedAt).ThenBy(o => o.Id).Take(options.Value.RecentOrders).ToList();
        return new ProductInsightsResponse(Summary(product), orders.Select(o => Recent(o, new Dictionary<Guid, string>())).ToList(), version);
    }

    private static string Display(ConcertSales concert) =>
        concert.Artist.Length == 0 ? "a concert" : $"{concert.Artist} — {concert.Title}";

    private static double Ratio(int part, int whole) => whole <= 0 ? 0 : Math.Round((double)part / whole, 4);

    private static ConcertSummary Summary(ConcertSales c) => new(
        c.Id, c.Artist, c.Title, c.Venue, c.City, c.TimeZone, c.StartsAt, c.SaleOpensAt, c.Cancelled,
        c.Capacity, c.Held, c.Sold, Math.Max(0, c.Capacity - c.Held - c.Sold), Ratio(c.Sold, c.Capacity), c.Revenue, c.Currency, c.SoldOutAt,
        c.Tiers.Select(t => new TierSummary(t.Code, t.Name, t.Price, t.Currency, t.Capacity, t.Held, t.Sold,
            Math.Max(0, t.Capacity - t.Held - t.Sold), t.Revenue, Ratio(t.Sold, t.Capacity), t.SoldOutAt)).ToList());

    private static ProductSummary Summary(ProductSales p) => new(
        p.Id, p.Sku, p.Name, p.Artist, p.Price, p.Currency, p.Stock, p.Reserved, p.Sold, p.Returned, p.Available,
        Ratio(p.Sold, p.Stock), p.Revenue, p.SoldOutAt);

    private static RecentOrder Recent(OrderActivity order, IReadOnlyDictionary<Guid, string> concertNames)
    {
        var parts = new List<string>();
        if (order.Seats.Count > 0)
        {
            var where = order.ConcertId is { } id && concertNames.TryGetValue(id, out var name) ? $" · {name}" : "";
            parts.Add(string.Join(", ", order.Seats.Select(s => $"{s.Quantity} × {s.Tier}")) + where);
        }

        parts.AddRange(order.Merch.Select(m => $"{m.Quantity} × {m.Name}"));
        if (parts.Count == 0)
        {
            parts.Add(order.ItemCount > 0 ? $"{order.ItemCount} merch item{(order.ItemCount == 1 ? "" : "s")}" : "Seats");
        }

        return new RecentOrder(order.Id, order.FanId, order.Status.ToString(), order.Reason, string.Join(" + ", parts), order.Total, order.Currency,
            order.PlacedAt > Unplaced ? order.PlacedAt : null, order.UpdatedAt);
    }

    private static List<Alert> Alerts(
        IReadOnlyList<ConcertSales> concerts, IReadOnlyList<ProductSales> products, IReadOnlyList<OrderActivity> stuck, InsightsOptions settings, DateTimeOffset now)
    {
        var alerts = new List<Alert>();
        if (stuck.Count > 0)
        {
            var minutes = settings.StuckOrderAfter.TotalMinutes;
            alerts.Add(new Alert("orders_stuck", "critical",
                stuck.Count == 1 ? "1 order is stuck in Pending" : $"{stuck.Count}{(stuck.Count == 50 ? "+" : "")} orders are stuck in Pending",
                $"Pending for longer than the checkout time-out ({minutes:0.#} min). The oldest was placed at {stuck[0].PlacedAt:u}.",
                stuck[0].PlacedAt, stuck[0].Id));
        }

        foreach (var concert in concerts.Where(c => !c.Cancelled))
        {
            if (concert.SoldOutAt is { } soldOut)
            {
                alerts.Add(new Alert("concert_sold_out", "success", $"{Display(concert)} is sold out",
                    $"All {concert.Capacity:N0} seats sold.", soldOut, concert.Id));
                continue;
            }

            foreach (var tier in concert.Tiers.Where(t => t.SoldOutAt is not null))
            {
                alerts.Add(new Alert("tier_sold_out", "info", $"{tier.Name} sold out",
                    $"{Display(concert)}: all {tier.Capacity:N0} {tier.Name} seats sold.", tier.SoldOutAt!.Value, concert.Id));
            }
        }

        foreach (var product in products.Where(p => p.SoldOutAt is not null))
        {
            alerts.Add(new Alert("product_sold_out", "warning", $"{product.Name} is out of stock",
                $"{product.Sold:N0} of {product.Stock:N0} sold{(product.Reserved > 0 ? $", {product.Reserved:N0} reserved by open orders" : "")}.",
                product.SoldOutAt!.Value, product.Id));
        }

        return alerts
            .OrderBy(a => a.Severity switch { "critical" => 0, "warning" => 1, "success" => 2, _ => 3 })
            .ThenByDescending(a => a.At)
            .ToList();
    }
}
