using Ticketing.Contracts.Orders;

namespace Ticketing.Scaling.Tests;

/// <summary>
/// Two instances of every service on one platform (see <see cref="ScaledPlatformWithPayments"/>); the fail-over test
/// (Two_instances_of_every_service.Failing_over.cs) kills two of them, after every other test.
/// </summary>
[TestCaseOrderer(KillsInstancesLast.TypeName, KillsInstancesLast.AssemblyName)]
public sealed partial class Two_instances_of_every_service(ScaledPlatformWithPayments platform) : IClassFixture<ScaledPlatformWithPayments>
{
    /// <summary>The advisory lock keys of the services' own timers (see HoldExpiryRunner and CheckoutTimeoutRunner).</summary>
    internal const long HoldExpiryLock = 0x7469783A686F6C64;
    internal const long CheckoutTimeoutLock = 0x6F72643A74696D65;
    internal const long AdmissionLock = Ticketing.Queue.Admission.AdmissionRunner.AdmissionLockKey;

    private readonly Drop drop = new(platform);

    [Fact]
    public async Task Each_timer_and_each_async_daemon_runs_on_exactly_one_instance_of_its_service()
    {
        var held = new Dictionary<string, IReadOnlyDictionary<long, IReadOnlyList<string>>>();
        foreach (var kind in ScaledPlatformFixture.ServiceKinds)
        {
            IReadOnlyDictionary<long, IReadOnlyList<string>> locks = new Dictionary<long, IReadOnlyList<string>>();
            // The timers take their lock within a few seconds of start; Marten's daemon takes its own.
            var expected = kind.Name switch
            {
                "orders" => 2,   // checkout time-outs + the async daemon (the outbox relay)
                "tickets" => 3,  // hold expiry + the sold-out check + the async daemon
                "catalog" => 2,  // the sold-out check + the async daemon
                _ => 1,          // the async daemon (Insights); the admission runner (Queue)
            };
            await Polling.UntilAsync(async () => (locks = await platform.AdvisoryLockHoldersAsync(kind.Name)).Count >= expected, TimeSpan.FromSeconds(60));
            held[kind.Name] = locks;
        }

        string Description(string kind) => string.Join("; ", held[kind].Select(pair => $"{pair.Key:x}: {string.Join(",", pair.Value)}"));
        Assert.True(held["orders"].ContainsKey(CheckoutTimeoutLock), $"no instance runs checkout time-outs: {Description("orders")}");
        Assert.True(held["tickets"].ContainsKey(HoldExpiryLock), $"no instance runs hold expiry: {Description("tickets")}");
        Assert.True(held["queue"].ContainsKey(AdmissionLock), $"no instance admits fans: {Description("queue")}");

        // Sampled for a few seconds, every service in each sample, while the other instance keeps trying to take each
        // lock: never two holders.
        for (var sample = 0; sample < 5; sample++)
        {
            foreach (var kind in ScaledPlatformFixture.ServiceKinds)
            {
                var instances = platform.Instances(kind.Name).Select(host => host.Name).ToHashSet();
                var now = await platform.AdvisoryLockHoldersAsync(kind.Name);
                Assert.All(now, pair => Assert.Single(pair.Value));                          // one holder per lock
                Assert.All(now, pair => Assert.Contains(pair.Value[0], instances));          // and it is one of ours
                Assert.Superset(held[kind.Name].Keys.ToHashSet(), now.Keys.ToHashSet());     // and no lock went unheld
            }

            await Lasting.ForAsync(TimeSpan.FromSeconds(1), because: "the samples span the other instance's attempts to take each lock (every 3 s)");
        }
    }

    [Fact]
    public async Task Four_hundred_fans_racing_for_pairs_through_both_instances_at_once_never_share_a_seat()
    {
        // The gateway sends one concert's holds to one instance; here they go to both directly, alternately, so
        // that two lanes race for the same rows (as they do for a moment when the gateway moves a concert).
        var concertId = await drop.ConcertOnSaleAsync(rows: 10, seatsPerRow: 30);
        var allSeats = Drop.SeatIds(10, 30);
        var random = new Random(20261128);
        var wishes = Enumerable.Range(0, 400).Select(i => (Fan: $"racer-{i}", Seats: allSeats.OrderBy(_ => random.Next()).Take(2).ToArray())).ToList();
        var granted = new ConcurrentBag<(string Fan, Guid HoldId, string[] Seats)>();
        var refused = new ConcurrentBag<HttpStatusCode>();
        var tickets = platform.Instances("tickets");

        await Parallel.ForEachAsync(wishes.Select((wish, i) => (wish, Instance: tickets[i % tickets.Count])), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (request, _) =>
        {
            var (wish, instance) = request;
            var (holdId, status) = await drop.TryHoldAsync(wish.Fan, concertId, wish.Seats, instance.Address);
            if (holdId is { } id)
            {
                granted.Add((wish.Fan, id, wish.Seats));
            }
            else
            {
                refused.Add(status);
            }
        });

        Assert.All(refused, status => Assert.Equal(HttpStatusCode.Conflict, status));
        var heldSeats = granted.SelectMany(hold => hold.Seats).ToList();
        Assert.Equal(heldSeats.Count, heldSeats.Distinct().Count()); // no seat in two holds
        // The seat map, whichever instance answers: exactly the granted seats are held.
        var statuses = await drop.SeatStatusesAsync(concertId, map => map.Count(seat => seat.Value == "held") >= heldSeats.Count);
        Assert.Equal(heldSeats.ToHashSet(), statuses.Where(seat => seat.Value == "held").Select(seat => seat.Key).ToHashSet());
        Assert.True(granted.Count >= 80, $"only {granted.Count} of 400 racers got a pair");
    }

    [Fact]
    public async Task Through_the_gateway_every_fan_gets_a_best_available_seat_while_seats_remain()
    {
        // 300 fans, 300 seats, one seat each, 64 at a time: each must get one. Two instances deciding holds for one
        // concert from their own seat charts race for the same rows, and a fan who lost that race too often was
        // refused while seats were free; the gateway now sends all of a concert's holds to one instance.
        var concertId = await drop.ConcertOnSaleAsync(rows: 10, seatsPerRow: 30);
        var answers = new ConcurrentBag<HttpStatusCode>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            using var fan = platform.Fan($"best-{i}");
            using var response = await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { tier = "R", quantity = 1 });
            answers.Add(response.StatusCode);
        });

        var counts = string.Join(", ", answers.GroupBy(status => status).Select(group => $"{(int)group.Key}: {group.Count()}"));
        Assert.True(answers.All(status => status == HttpStatusCode.Created), $"answers {counts}");
        var statuses = await drop.SeatStatusesAsync(concertId, map => map.Count(seat => seat.Value == "held") >= 300);
        Assert.Equal(300, statuses.Count(seat => seat.Value == "held"));
    }

    [Fact]
    public async Task A_merch_drop_across_both_instances_sells_exactly_the_stock_and_announces_each_order_once()
    {
        await using var recorder = await MessageRecorder.StartAsync(platform.Bus.AmqpUri, typeof(OrderConfirmed), typeof(OrderCancelled));
        var productId = await drop.ProductAsync(stock: 100, limitPerFan: 1);
        var warmup = await drop.CheckoutAsync("merch-warmup", items: [(productId, 1)]);
        await drop.FinalOrdersAsync([("merch-warmup", warmup)], TimeSpan.FromSeconds(60));

        var orders = new ConcurrentBag<(string Fan, Guid OrderId)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var fan = $"merch-fan-{i}";
            orders.Add((fan, await drop.CheckoutAsync(fan, items: [(productId, 1)])));
        });
        var outcomes = await drop.FinalOrdersAsync(orders.ToList(), TimeSpan.FromSeconds(180));

        Assert.Equal(99, outcomes.Values.Count(order => order.GetProperty("status").GetString() == "Confirmed"));
        var cancelled = outcomes.Values.Where(order => order.GetProperty("status").GetString() == "Cancelled").ToList();
        Assert.Equal(201, cancelled.Count);
        Assert.All(cancelled, order => Assert.Equal("out_of_stock", order.GetProperty("reason").GetString()));
        await Polling.UntilAsync(async () => (await drop.ProductStateAsync(productId)).GetProperty("sold").GetInt32() == 100, TimeSpan.FromSeconds(60));
        var product = await drop.ProductStateAsync(productId);
        Assert.Equal(0, product.GetProperty("available").GetInt32());
        Assert.Equal(0, product.GetProperty("reserved").GetInt32());

        // One relay for the whole service: exactly one instance's daemon runs it (each reports whether it does), and each
        // order's outcome was published once, not once per instance.
        var placed = orders.Select(order => order.OrderId).Append(warmup).ToHashSet();
        await recorder.WaitForCountAsync<OrderConfirmed>(message => placed.Contains(message.OrderId), 100, TimeSpan.FromSeconds(60));
        await recorder.WaitForCountAsync<OrderCancelled>(message => placed.Contains(message.OrderId), 201, TimeSpan.FromSeconds(60));
        var relaying = new List<string>();
        foreach (var instance in platform.Instances("orders"))
        {
            using var client = new HttpClient { BaseAddress = instance.Address };
            if ((await PrometheusScrape.ReadAsync(client)).Sum("ticketing_outbox_relay_running") > 0)
            {
                relaying.Add(instance.Name);
            }
        }

        Assert.Single(relaying);
        var announced = recorder.AllWithIds<OrderConfirmed>().Where(entry => placed.Contains(entry.Message.OrderId)).ToList();
        Assert.Equal(100, announced.Count);
        Assert.Equal(100, announced.Select(entry => entry.Message.OrderId).Distinct().Count());
        Assert.Equal(201, recorder.All<OrderCancelled>().Count(message => placed.Contains(message.OrderId)));
    }
}
