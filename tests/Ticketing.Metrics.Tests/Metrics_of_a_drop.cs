using System.Net.Sockets;

namespace Ticketing.Metrics.Tests;

/// <summary>
/// The whole platform with the gateway's metrics on a port of its own, and the polled gauges (stock, relay lag) read
/// every 200 ms instead of every 5 s, so that a test sees them move at once.
/// </summary>
public sealed class MetricsFixture : PlatformFixture
{
    public int GatewayMetricsPort { get; } = FreePort();

    protected override Dictionary<string, string?> Configure(string service, Dictionary<string, string?> settings)
    {
        settings["Outbox:LagInterval"] = "00:00:00.200";
        settings["Catalog:Stock:MetricsInterval"] = "00:00:00.200";
        settings["Payments:Simulated:Latency"] = "00:00:00.010";
        return settings;
    }

    protected override Dictionary<string, string?> ConfigureGateway(Dictionary<string, string?> settings)
    {
        settings["Metrics:Port"] = GatewayMetricsPort.ToString();
        return settings;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// Issue 21, acceptance 3: a small drop through the gateway (a few holds, one refused, and a merch order) moves the
/// metrics operators watch, read from each service's own <c>/metrics</c> before and after; the gateway serves its
/// metrics on its metrics port and not on the public one. Counters are compared with at least the drop's own share,
/// since a process's exporter sees every meter of the process; the gauges are the drop's own concert and product. This
/// class is the only one of its test process: MassTransit's instruments are static, made once a process, and a host
/// that stops takes its own meters' counts out of the shared exporter, so in a process shared with other test classes
/// the consume counter stayed still and a summed counter went down. In production a process is one service.
/// </summary>
public sealed class Metrics_of_a_drop(MetricsFixture platform, ITestOutputHelper output) : IClassFixture<MetricsFixture>
{
    /// <summary>How long a poll may wait: messages cross the broker in well under a second, unless the box is loaded.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Shop shop = new(platform);

    [Fact]
    public async Task A_drop_through_the_gateway_moves_the_metrics_of_every_service()
    {
        var concertId = await shop.ConcertOnSaleAsync(ticketLimitPerFan: 4);
        var productId = await shop.ProductAsync(stock: 10);
        var sku = (await shop.ProductStateAsync(productId)).GetProperty("sku").GetString()!;
        using var tickets = Direct(platform.Tickets.Address);
        using var orders = Direct(platform.Orders.Address);
        using var catalog = Direct(platform.Catalog.Address);
        using var gatewayMetrics = Direct(new Uri($"http://127.0.0.1:{platform.GatewayMetricsPort}/"));
        var concert = ("concert_id", concertId.ToString());

        // The concert's ledger is loaded (publishing waited for its availability) and the product's stock is read.
        PrometheusScrape ticketsBefore = null!, catalogBefore = null!;
        await Polling.UntilAsync(async () =>
        {
            ticketsBefore = await PrometheusScrape.ReadAsync(tickets);
            catalogBefore = await PrometheusScrape.ReadAsync(catalog);
            return ticketsBefore.Sum("ticketing_seats_available", concert) == 40 && catalogBefore.Sum("ticketing_stock_available", ("sku", sku)) == 10;
        }, Patience);
        var ordersBefore = await PrometheusScrape.ReadAsync(orders);
        var gatewayBefore = await PrometheusScrape.ReadAsync(gatewayMetrics);

        await shop.HoldAsync("metrics-fan-1", concertId, "A-1-1", "A-1-2");
        await shop.HoldAsync("metrics-fan-2", concertId, "A-1-3");
        using (var late = platform.Fan("metrics-fan-3"))
        using (var refused = await late.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds = new[] { "A-1-1" } }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        }

        var orderId = await shop.CheckoutAsync("metrics-fan-1", items: [(productId, 1)]);
        Assert.Equal("Confirmed", (await shop.FinalOrderAsync("metrics-fan-1", orderId)).GetProperty("status").GetString());

        // Tickets: holds and seats per second, the refusal by reason, the latency histogram, the seats left.
        var ticketsAfter = await PrometheusScrape.ReadAsync(tickets);
        AssertMoved(ticketsBefore, ticketsAfter, "ticketing_holds_placed_total", 2);
        AssertMoved(ticketsBefore, ticketsAfter, "ticketing_holds_seats_total", 3);
        AssertMoved(ticketsBefore, ticketsAfter, "ticketing_holds_refused_total", 1, ("reason", "seats_taken"));
        AssertMoved(ticketsBefore, ticketsAfter, "ticketing_holds_duration_seconds_count", 3);
        AssertMoved(ticketsBefore, ticketsAfter, "ticketing_http_problems_total", 1, ("status", "409"));
        Assert.Equal(37, ticketsAfter.Sum("ticketing_seats_available", concert));
        Assert.Equal(3, ticketsAfter.Sum("ticketing_seats_held", concert));

        // Orders: the order placed and confirmed, its latency, and the relay publishing it; the relay's lag is reported.
        PrometheusScrape ordersAfter = null!;
        await Polling.UntilAsync(async () =>
        {
            ordersAfter = await PrometheusScrape.ReadAsync(orders);
            return ordersAfter.Sum("ticketing_orders_confirmed_total") > ordersBefore.Sum("ticketing_orders_confirmed_total")
                && ordersAfter.Sum("ticketing_outbox_published_total", ("message_type", "OrderConfirmed")) > ordersBefore.Sum("ticketing_outbox_published_total", ("message_type", "OrderConfirmed"));
        }, Patience);
        AssertMoved(ordersBefore, ordersAfter, "ticketing_orders_placed_total", 1, ("kind", "merch"));
        AssertMoved(ordersBefore, ordersAfter, "ticketing_orders_placement_duration_seconds_count", 1);
        AssertMoved(ordersBefore, ordersAfter, "ticketing_orders_checkout_duration_seconds_count", 1, ("status", "confirmed"));
        Assert.True(ordersAfter.Has("ticketing_outbox_lag"), "Orders reports its relay's lag");

        // The Catalog: the unit reserved for the order (sold once the confirmation reaches it) leaves nine; its relay
        // published the reservation's answer.
        PrometheusScrape catalogAfter = null!;
        await Polling.UntilAsync(async () =>
        {
            catalogAfter = await PrometheusScrape.ReadAsync(catalog);
            return catalogAfter.Sum("ticketing_stock_available", ("sku", sku)) == 9;
        }, Patience);
        Assert.Equal(1, catalogAfter.Sum("ticketing_stock_reserved", ("sku", sku)) + catalogAfter.Sum("ticketing_stock_sold", ("sku", sku)));
        AssertMoved(catalogBefore, catalogAfter, "ticketing_outbox_published_total", 1);

        // MassTransit's own instruments count what the consumers took (and their errors, by exception type); its unit
        // "ea" (each) is part of the Prometheus name.
        // A consume is counted once the consumer has returned, which may be just after the order's commit was seen.
        await Polling.UntilAsync(async () =>
        {
            ordersAfter = await PrometheusScrape.ReadAsync(orders);
            return ordersAfter.Sum("messaging_masstransit_consume_ea_total") > ordersBefore.Sum("messaging_masstransit_consume_ea_total");
        }, Patience);
        AssertMoved(ordersBefore, ordersAfter, "messaging_masstransit_consume_ea_total", 1);

        // The gateway: its own metrics on its metrics port, and none on the public one.
        var gatewayAfter = await PrometheusScrape.ReadAsync(gatewayMetrics);
        AssertMoved(gatewayBefore, gatewayAfter, "http_server_request_duration_seconds_count", 5);
        using var publicMetrics = await platform.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, publicMetrics.StatusCode);
        Assert.Equal("application/problem+json", publicMetrics.Content.Headers.ContentType?.MediaType);

        // Every service answers /metrics on its own port.
        foreach (var address in new[] { platform.Queue.Address, platform.Insights.Address })
        {
            using var client = Direct(address);
            Assert.True((await PrometheusScrape.ReadAsync(client)).Has("http_server_request_duration_seconds_count"), $"{address} serves /metrics");
        }
    }

    private void AssertMoved(PrometheusScrape before, PrometheusScrape after, string name, double atLeast, params (string Key, string Value)[] labels)
    {
        var moved = after.Sum(name, labels) - before.Sum(name, labels);
        output.WriteLine($"{name}{(labels.Length == 0 ? "" : "{" + string.Join(",", labels.Select(label => $"{label.Key}={label.Value}")) + "}")}: +{moved}");
        Assert.True(moved >= atLeast, $"{name} moved by {moved}, expected at least {atLeast}");
    }

    private static HttpClient Direct(Uri address) => new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
}
