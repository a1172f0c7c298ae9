using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Testing;
using Xunit.Abstractions;

namespace Ticketing.Chaos.Tests;

/// <summary>
/// One fault at a time, in the middle of a drop of 1,000 orders with a seat race in flight, then recovery; afterwards the
/// invariants: no seat sold twice, tickets issued = seats sold, stock conserved, every standing payment belongs to a
/// confirmed order, every order final within its deadline, Insights' totals equal Orders' and Tickets'. Each case starts
/// its own servers and platform (real processes), so a case cannot leave the next one broken. Slow by nature: run with
/// <c>./ticketing chaos</c> (or <c>--filter</c> one case), not in <c>./ticketing test</c>.
/// </summary>
public sealed class Faults_during_a_drop(ITestOutputHelper output)
{
    /// <summary>
    /// The size of a case's drop: <c>Orders</c> fans each hold one seat of a concert of <c>Rows</c> rows of <c>SeatsPerRow</c>
    /// while <c>Rivals</c> rivals race for the first seats, and the fault strikes once <c>FaultAfterAccepted</c> checkouts are
    /// accepted; the product has <c>Stock</c> units, and an operator adds <c>Restocked</c> more mid-drop.
    /// </summary>
    private sealed record DropSize(int Orders, int Rivals, int FaultAfterAccepted, int Rows, int SeatsPerRow, int Stock, int Restocked = 0);

    private static readonly DropSize Drop = new(Orders: 1_000, Rivals: 150, FaultAfterAccepted: 300, Rows: 30, SeatsPerRow: 40, Stock: 600);

    // The replay case's drop also takes every cancellation path: fewer units than lightstick orders (out of stock, and a
    // restock mid-drop), declined cards, holds let go before their checkout, operators cancelling pending orders and
    // refunding confirmed ones, and a second concert called off after its orders were confirmed.
    private static readonly DropSize DropWithCancellations = Drop with { Stock = 250, Restocked = 25 };
    private const int EncoreSeats = 10;
    private static readonly TimeSpan CheckoutTimeout = TimeSpan.FromMinutes(2);
    private const string EveryMessageTwice = "every message delivered twice, newest first";

    public static TheoryData<string, int> Faults() => new()
    {
        { "kill catalog", 1 }, { "kill catalog", 2 },
        { "kill orders", 1 }, { "kill orders", 2 },
        { "kill tickets", 1 }, { "kill tickets", 2 },
        { "kill insights", 1 }, { "kill insights", 2 },
        { "kill gateway", 1 }, { "kill gateway", 2 },
        { "postgres immediate stop for 10 s", 1 },
        { "rabbitmq kill -9 and restart", 1 },
        { "broker unreachable for 30 s", 1 },
        { EveryMessageTwice, 1 },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task The_drop_loses_nothing_and_recovers(string fault, int instances)
    {
        await using var servers = await OwnServers.StartAsync();
        var withCancellations = fault == EveryMessageTwice;
        var drop = withCancellations ? DropWithCancellations : Drop;
        var stock = drop.Stock + drop.Restocked;
        output.WriteLine($"load average at the start: {LoadAverage()}");
        await using var platform = new ChaosPlatform(servers, instances, gateways: fault == "kill gateway" ? instances : 1);
        await platform.StartAsync();
        var shop = new ChaosShop(platform);
        using var replay = fault == EveryMessageTwice ? await MessageReplay.StartRecordingAsync(servers.Endpoints, platform.VirtualHost) : null;

        var concertId = await shop.ConcertOnSaleAsync(drop.Rows, drop.SeatsPerRow);
        var productId = await shop.ProductAsync(drop.Stock);
        var encore = withCancellations ? await CalledOffConcertAsync(shop) : [];
        var seats = Enumerable.Range(1, drop.Rows).SelectMany(row => Enumerable.Range(1, drop.SeatsPerRow).Select(n => $"A-{row}-{n}")).ToList();
        var clock = Stopwatch.StartNew();

        // The seat race: fan i wants seat i, and a rival wants each of the first seats at the same moment.
        var holds = await SeatRace.HoldsAsync(seats, drop.Orders, drop.Rivals, parallelism: 24, (fan, seat) => shop.TryHoldAsync(fan, concertId, seat));
        Assert.Equal(drop.Orders, holds.Count);

        // The drop: every holder checks out (every other one with a lightstick); the fault strikes mid-way.
        // With cancellations (fan n, numbered by the seat they wanted): n % 25 == 7 lets the hold go first and checks out
        // with it anyway (Tickets refuses it), n % 10 == 3 pays with a declined card, n % 20 == 11 is cancelled by an
        // operator as soon as the checkout is accepted (a pending order cancelled, or a confirmed one refunded); after 500
        // orders an operator restocks the product.
        var orders = new ConcurrentBag<(string Fan, Guid OrderId, string Seat, int Units)>();
        var restocking = 0;
        Task? injected = null;
        var recovery = new Recovery(TimeSpan.Zero, DateTimeOffset.UtcNow);
        await Parallel.ForEachAsync(holds, new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (hold, _) =>
        {
            var n = FanNumber(hold.Fan);
            var units = int.Parse(hold.Seat[(hold.Seat.LastIndexOf('-') + 1)..]) % 2 == 0 ? 1 : 0;
            if (withCancellations && n % 25 == 7)
            {
                await shop.ReleaseHoldAsync(hold.Fan, hold.HoldId);
            }

            var card = withCancellations && n % 10 == 3 ? ChaosShop.DecliningCard : ChaosShop.ApprovingCard;
            var orderId = await shop.CheckoutAsync(hold.Fan, hold.HoldId, units == 1 ? productId : null, card);
            orders.Add((hold.Fan, orderId, hold.Seat, units));
            if (withCancellations && n % 20 == 11)
            {
                await shop.CancelOrderAsync(orderId);
            }

            if (drop.Restocked > 0 && orders.Count >= drop.Orders / 2 && Interlocked.Exchange(ref restocking, 1) == 0)
            {
                await shop.RestockAsync(productId, drop.Restocked);
            }

            if (orders.Count == drop.FaultAfterAccepted)
            {
                injected = Task.Run(async () => recovery = await InjectAsync(platform, fault, replay));
            }
        });
        Assert.NotNull(injected);
        await injected!;
        output.WriteLine($"{fault}, {instances} instance(s), {platform.Gateways.Count} gateway(s): drop accepted {orders.Count} orders in "
            + $"{clock.Elapsed.TotalSeconds:F0} s; recovered in {recovery.ToReady.TotalSeconds:F1} s; requests not served and sent again: "
            + $"{shop.Unserved}; connections the balancer moved to another gateway: {platform.Failovers}; load average: {LoadAverage()}");

        // Every order final, each within its deadline.
        var final = await shop.FinalOrdersAsync(orders.Select(order => (order.Fan, order.OrderId)).ToList(), TimeSpan.FromMinutes(5));
        if (final.Values.Any(order => Reason(order) == "timeout"))
        {
            output.WriteLine("orders timed out; diagnostics:\n" + await platform.DiagnosticsAsync());
        }

        output.WriteLine("publishes the outbox relays gave up on and sent again, per process: " + platform.RelayRetries());
        var lastDecided = final.Values.Max(order => order.GetProperty("updatedAt").GetDateTimeOffset());
        output.WriteLine($"the last order was decided {(lastDecided - recovery.UndoneAt).TotalSeconds:F1} s after the fault was undone");
        foreach (var order in final.Values)
        {
            var decidedAfter = order.GetProperty("updatedAt").GetDateTimeOffset() - order.GetProperty("createdAt").GetDateTimeOffset();
            Assert.True(decidedAfter <= CheckoutTimeout + TimeSpan.FromSeconds(15), $"order {order.GetProperty("orderId")} was decided after {decidedAfter}");
        }

        if (withCancellations)
        {
            // Operators refund some confirmed orders after the drop (fan n % 20 == 1): those seats, units and payments
            // go back, and the replay below delivers the refunds' messages twice too.
            var refunds = orders.Where(order => FanNumber(order.Fan) % 20 == 1 && Status(final[order.OrderId]) == "Confirmed").ToList();
            await Parallel.ForEachAsync(refunds, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (order, _) => await shop.CancelOrderAsync(order.OrderId));
            final = await shop.FinalOrdersAsync(orders.Select(order => (order.Fan, order.OrderId)).ToList(), TimeSpan.FromMinutes(1));
            Assert.All(refunds, order => Assert.Equal("refunded", Reason(final[order.OrderId])));
        }

        if (replay is not null)
        {
            // Every message of the drop's second half (and of the replay's own answers) once more, newest first, after the
            // orders are final: nothing may change, no order, seat, unit, payment or total.
            output.WriteLine($"replayed {replay.Replayed.Values.Sum()} messages mid-drop");
            var again = Stopwatch.StartNew();
            var copies = await replay.ReplayNewestFirstAsync();
            await replay.DrainedAsync(TimeSpan.FromMinutes(5));
            output.WriteLine($"replayed {copies} more messages after the drop, all consumed in {again.Elapsed.TotalSeconds:F1} s; per exchange: "
                + string.Join(", ", replay.Replayed.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key} {pair.Value}")));
            output.WriteLine("dead-lettered: " + string.Join(", ", (await replay.DeadLetteredAsync()).Select(pair => $"{pair.Key} {pair.Value}")));
            var after = await shop.FinalOrdersAsync(orders.Select(order => (order.Fan, order.OrderId)).ToList(), TimeSpan.FromMinutes(1));
            Assert.All(final, order => Assert.Equal(Status(order.Value), Status(after[order.Key])));
            Assert.All(final, order => Assert.Equal(Reason(order.Value), Reason(after[order.Key])));
            output.WriteLine($"orders whose updatedAt moved in the replay (same status and reason): "
                + final.Count(order => order.Value.GetProperty("updatedAt").GetDateTimeOffset() != after[order.Key].GetProperty("updatedAt").GetDateTimeOffset()));
            var encoreAfter = await shop.FinalOrdersAsync(encore, TimeSpan.FromMinutes(1));
            Assert.All(encoreAfter.Values, order => Assert.Equal("concert_cancelled", Reason(order)));
        }

        var confirmed = orders.Where(order => Status(final[order.OrderId]) == "Confirmed").ToList();
        var refunded = final.Values.Count(order => Status(order) == "Cancelled" && Reason(order) == "refunded");
        var cancelled = final.Values.Count(order => Status(order) == "Cancelled") - refunded;
        output.WriteLine($"confirmed {confirmed.Count} of {orders.Count}; cancelled for: " +
            string.Join(", ", final.Values.Where(order => Status(order) == "Cancelled")
                .GroupBy(Reason).Select(group => $"{group.Key} {group.Count()}")));

        // No seat sold twice; tickets issued = seats sold = seats of confirmed orders. Tickets are issued after an order is
        // confirmed (its HoldConfirmed reaches the concert's ledger), so they are waited for, and how long is printed: a
        // minute without them is a stall, with the broker's queues and the processes' logs printed to find it.
        var ticketsWaited = Stopwatch.StartNew();
        IReadOnlyList<object[]> tickets = [];
        List<object[]> valid = [];
        async Task<bool> EveryTicketIssuedAsync()
        {
            tickets = await platform.QueryAsync("tickets", "SELECT data->>'seatId', data->>'status', data->>'orderId', data->>'concertId' FROM mt_doc_ticket");
            valid = tickets.Where(row => (string)row[1] != "Voided" && Guid.Parse((string)row[3]) == concertId).ToList();
            return valid.Count >= confirmed.Count;
        }

        try
        {
            await Polling.UntilAsync(EveryTicketIssuedAsync, TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            output.WriteLine($"{valid.Count} of {confirmed.Count} tickets issued after a minute; diagnostics:\n" + await platform.DiagnosticsAsync());
        }

        output.WriteLine($"tickets of the confirmed orders issued {ticketsWaited.Elapsed.TotalSeconds:F1} s after every order was final ({valid.Count} of {confirmed.Count})");

        // The called-off concert's tickets were all issued, then voided.
        Assert.Equal(encore.Count, tickets.Count(row => Guid.Parse((string)row[3]) != concertId));
        Assert.All(tickets.Where(row => Guid.Parse((string)row[3]) != concertId), row => Assert.Equal("Voided", (string)row[1]));
        Assert.Equal(valid.Count, valid.Select(row => (string)row[0]).Distinct().Count());
        Assert.Equal(confirmed.Select(order => order.Seat).ToHashSet(), valid.Select(row => (string)row[0]).ToHashSet());
        await Polling.UntilAsync(async () => (await shop.SeatStatusesAsync(concertId)).Count(seat => seat.Value == "sold") == valid.Count, TimeSpan.FromSeconds(30));

        // Stock conserved: what the product says adds up, and sold = units of confirmed orders.
        var product = await shop.ProductStateAsync(productId);
        var sold = confirmed.Sum(order => order.Units);
        Assert.Equal(stock, product.GetProperty("stock").GetInt32());
        await Polling.UntilAsync(async () => (await shop.ProductStateAsync(productId)).GetProperty("sold").GetInt32() == sold, TimeSpan.FromSeconds(60));
        product = await shop.ProductStateAsync(productId);
        Assert.Equal(stock, product.GetProperty("available").GetInt32() + product.GetProperty("reserved").GetInt32() + product.GetProperty("sold").GetInt32());

        // Every standing payment belongs to a confirmed order, once; the rest were voided or declined.
        var standing = (await platform.QueryAsync("orders",
            "SELECT id FROM mt_doc_simulatedauthorization WHERE (data->'result'->>'approved')::boolean AND data->>'state' = 'authorized'"))
            .Select(row => (Guid)row[0]).ToList();
        Assert.Equal(standing.Count, standing.Distinct().Count());
        Assert.Equal(confirmed.Select(order => order.OrderId).ToHashSet(), standing.ToHashSet());

        // Insights' totals equal the truth of Orders and Tickets once it has caught up (it counts every confirmation, and
        // refunds apart: the encore's orders were confirmed, then refunded when it was called off).
        JsonElement overview = default;
        await Polling.UntilAsync(async () =>
        {
            overview = await shop.OverviewAsync();
            var counts = overview.GetProperty("orders");
            return counts.GetProperty("confirmed").GetInt32() - counts.GetProperty("refunded").GetInt32() == confirmed.Count
                && counts.GetProperty("refunded").GetInt32() == refunded + encore.Count
                && counts.GetProperty("cancelled").GetInt32() == cancelled
                && counts.GetProperty("pending").GetInt32() == 0
                && overview.GetProperty("tickets").GetProperty("sold").GetInt32() == valid.Count
                && overview.GetProperty("merch").GetProperty("sold").GetInt32() == sold;
        }, TimeSpan.FromMinutes(2));
        output.WriteLine($"invariants hold; total {clock.Elapsed.TotalSeconds:F0} s; load average at the end: {LoadAverage()}");
    }

    /// <summary>
    /// A second, small concert whose fans all check out and are confirmed, then called off by an operator: its tickets are
    /// voided and its orders refunded (<c>ConcertCancelled</c>, <c>TicketsVoided</c>, refunds). Returns its orders.
    /// </summary>
    private static async Task<IReadOnlyList<(string Fan, Guid OrderId)>> CalledOffConcertAsync(ChaosShop shop)
    {
        var concertId = await shop.ConcertOnSaleAsync(1, EncoreSeats);
        var orders = new List<(string Fan, Guid OrderId)>();
        foreach (var n in Enumerable.Range(1, EncoreSeats))
        {
            var fan = $"encore-{n}";
            var holdId = await shop.TryHoldAsync(fan, concertId, $"A-1-{n}") ?? throw new InvalidOperationException($"{fan} could not hold A-1-{n}");
            orders.Add((fan, await shop.CheckoutAsync(fan, holdId, null)));
        }

        Assert.All((await shop.FinalOrdersAsync(orders, TimeSpan.FromMinutes(2))).Values, order => Assert.Equal("Confirmed", Status(order)));
        await shop.CancelConcertAsync(concertId);
        await Polling.UntilAsync(async () => (await shop.FinalOrdersAsync(orders, TimeSpan.FromMinutes(1))).Values
            .All(order => Reason(order) == "concert_cancelled"),
            TimeSpan.FromMinutes(2));
        return orders;
    }

    private static int FanNumber(string fan) => int.Parse(fan[(fan.LastIndexOf('-') + 1)..]);

    private static string? Status(JsonElement order) => order.GetProperty("status").GetString();

    private static string? Reason(JsonElement order) =>
        order.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null;

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>How long until the platform served again after the fault was undone, and when it was undone.</summary>
    private sealed record Recovery(TimeSpan ToReady, DateTimeOffset UndoneAt);

    /// <summary>Injects the fault, lets it last, undoes it, and returns the time until the platform serves a checkout again.</summary>
    private static async Task<Recovery> InjectAsync(ChaosPlatform platform, string fault, MessageReplay? replay)
    {
        switch (fault)
        {
            case EveryMessageTwice:
                {
                    // Mid-drop: everything published so far once more, newest first, among the messages still coming.
                    var replaying = Stopwatch.StartNew();
                    await replay!.ReplayNewestFirstAsync();
                    return new Recovery(replaying.Elapsed, DateTimeOffset.UtcNow);
                }

            case var kill when kill.StartsWith("kill ", StringComparison.Ordinal):
                {
                    // With two gateways behind the balancer, the first is killed and the other serves meanwhile.
                    var service = kill["kill ".Length..];
                    var victim = service == "gateway" ? platform.Gateways[0] : platform.Instances(service)[0];
                    victim.Kill();
                    return await UndoneAfterAsync(platform, TimeSpan.FromSeconds(5), () => platform.RestartAsync(victim));
                }

            case "postgres immediate stop for 10 s":
                {
                    await platform.Servers.StopPostgresImmediatelyAsync();
                    return await UndoneAfterAsync(platform, TimeSpan.FromSeconds(10), platform.Servers.StartPostgresAsync);
                }

            case "rabbitmq kill -9 and restart":
                {
                    platform.Servers.KillRabbit();
                    return await UndoneAfterAsync(platform, TimeSpan.FromSeconds(5), platform.Servers.StartRabbitAsync);
                }

            case "broker unreachable for 30 s":
                {
                    platform.BrokerPath.Cut();
                    return await UndoneAfterAsync(platform, TimeSpan.FromSeconds(30), () =>
                    {
                        platform.BrokerPath.Restore();
                        return Task.CompletedTask;
                    });
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "no such fault");
        }
    }

    /// <summary>Lets a fault last <paramref name="outage"/>, undoes it, and returns the time from the undoing until the platform serves again.</summary>
    private static async Task<Recovery> UndoneAfterAsync(ChaosPlatform platform, TimeSpan outage, Func<Task> undo)
    {
        await Lasting.ForAsync(outage, because: "the fault must outlast the consumers' and the relay's retries for the recovery to be tested");
        var undone = Stopwatch.StartNew();
        await undo();
        return await RecoveredAsync(platform, undone);
    }

    /// <summary>Waits until the gateway is ready and a new fan's hold and checkout are confirmed end to end.</summary>
    private static async Task<Recovery> RecoveredAsync(ChaosPlatform platform, Stopwatch since)
    {
        using var anyone = platform.Client();
        var undoneAt = DateTimeOffset.UtcNow - since.Elapsed;
        await Polling.UntilAsync(async () =>
        {
            try
            {
                return (await anyone.GetAsync("/health/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromMinutes(3));
        return new Recovery(since.Elapsed, undoneAt);
    }
}
