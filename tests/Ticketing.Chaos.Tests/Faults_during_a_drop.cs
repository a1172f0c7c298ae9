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
    private const int Orders = 1_000;
    private const int Rivals = 150;
    private const int FaultAfterAccepted = 300;
    private const int Rows = 30;
    private const int SeatsPerRow = 40;
    private const int Stock = 600;
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
        await using var platform = new ChaosPlatform(servers, instances);
        await platform.StartAsync();
        var shop = new ChaosShop(platform);
        using var replay = fault == EveryMessageTwice ? await MessageReplay.StartRecordingAsync(servers.Endpoints, platform.VirtualHost) : null;

        var concertId = await shop.ConcertOnSaleAsync(Rows, SeatsPerRow);
        var productId = await shop.ProductAsync(Stock);
        var seats = Enumerable.Range(1, Rows).SelectMany(row => Enumerable.Range(1, SeatsPerRow).Select(n => $"A-{row}-{n}")).ToList();
        var clock = Stopwatch.StartNew();

        // The seat race: fan i wants seat i, and a rival wants each of the first seats at the same moment.
        var holds = await SeatRace.HoldsAsync(seats, Orders, Rivals, parallelism: 24, (fan, seat) => shop.TryHoldAsync(fan, concertId, seat));
        Assert.Equal(Orders, holds.Count);

        // The drop: every holder checks out (every other one with a lightstick); the fault strikes mid-way.
        var orders = new ConcurrentBag<(string Fan, Guid OrderId, string Seat, int Units)>();
        Task? injected = null;
        var recovery = TimeSpan.Zero;
        await Parallel.ForEachAsync(holds, new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (hold, _) =>
        {
            var units = int.Parse(hold.Seat[(hold.Seat.LastIndexOf('-') + 1)..]) % 2 == 0 ? 1 : 0;
            var orderId = await shop.CheckoutAsync(hold.Fan, hold.HoldId, units == 1 ? productId : null);
            orders.Add((hold.Fan, orderId, hold.Seat, units));
            if (orders.Count == FaultAfterAccepted)
            {
                injected = Task.Run(async () => recovery = await InjectAsync(platform, fault, replay));
            }
        });
        Assert.NotNull(injected);
        await injected!;
        output.WriteLine($"{fault}, {instances} instance(s): drop accepted {orders.Count} orders in {clock.Elapsed.TotalSeconds:F0} s; recovered in {recovery.TotalSeconds:F1} s");

        // Every order final, each within its deadline.
        var final = await shop.FinalOrdersAsync(orders.Select(order => (order.Fan, order.OrderId)).ToList(), TimeSpan.FromMinutes(5));
        if (replay is not null)
        {
            // Every message of the drop's second half (and of the replay's own answers) once more, newest first, after the
            // orders are final: nothing may change, no order, seat, unit, payment or total.
            var again = Stopwatch.StartNew();
            var copies = await replay.ReplayNewestFirstAsync();
            await replay.DrainedAsync(TimeSpan.FromMinutes(5));
            output.WriteLine($"replayed {copies} more messages after the drop, all consumed in {again.Elapsed.TotalSeconds:F1} s; per exchange: "
                + string.Join(", ", replay.Replayed.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key} {pair.Value}")));
            output.WriteLine("dead-lettered: " + string.Join(", ", (await replay.DeadLetteredAsync()).Select(pair => $"{pair.Key} {pair.Value}")));
            var after = await shop.FinalOrdersAsync(orders.Select(order => (order.Fan, order.OrderId)).ToList(), TimeSpan.FromMinutes(1));
            Assert.All(final, order => Assert.Equal(order.Value.GetProperty("status").GetString(), after[order.Key].GetProperty("status").GetString()));
        }

        foreach (var order in final.Values)
        {
            var decidedAfter = order.GetProperty("updatedAt").GetDateTimeOffset() - order.GetProperty("createdAt").GetDateTimeOffset();
            Assert.True(decidedAfter <= CheckoutTimeout + TimeSpan.FromSeconds(15), $"order {order.GetProperty("orderId")} was decided after {decidedAfter}");
        }

        var confirmed = orders.Where(order => final[order.OrderId].GetProperty("status").GetString() == "Confirmed").ToList();
        output.WriteLine($"confirmed {confirmed.Count} of {orders.Count}; cancelled for: " +
            string.Join(", ", final.Values.Where(order => order.GetProperty("status").GetString() == "Cancelled")
                .GroupBy(order => order.GetProperty("reason").GetString()).Select(group => $"{group.Key} {group.Count()}")));

        // No seat sold twice; tickets issued = seats sold = seats of confirmed orders.
        var tickets = await platform.QueryAsync("tickets", "SELECT data->>'seatId', data->>'status', data->>'orderId' FROM mt_doc_ticket");
        var valid = tickets.Where(row => (string)row[1] != "Voided").ToList();
        Assert.Equal(valid.Count, valid.Select(row => (string)row[0]).Distinct().Count());
        Assert.Equal(confirmed.Select(order => order.Seat).ToHashSet(), valid.Select(row => (string)row[0]).ToHashSet());
        await Polling.UntilAsync(async () => (await shop.SeatStatusesAsync(concertId)).Count(seat => seat.Value == "sold") == valid.Count, TimeSpan.FromSeconds(30));

        // Stock conserved: what the product says adds up, and sold = units of confirmed orders.
        var product = await shop.ProductStateAsync(productId);
        var sold = confirmed.Sum(order => order.Units);
        Assert.Equal(Stock, product.GetProperty("stock").GetInt32());
        await Polling.UntilAsync(async () => (await shop.ProductStateAsync(productId)).GetProperty("sold").GetInt32() == sold, TimeSpan.FromSeconds(60));
        product = await shop.ProductStateAsync(productId);
        Assert.Equal(Stock, product.GetProperty("available").GetInt32() + product.GetProperty("reserved").GetInt32() + product.GetProperty("sold").GetInt32());

        // Every standing payment belongs to a confirmed order, once; the rest were voided or declined.
        var standing = (await platform.QueryAsync("orders",
            "SELECT id FROM mt_doc_simulatedauthorization WHERE (data->'result'->>'approved')::boolean AND data->>'state' = 'authorized'"))
            .Select(row => (Guid)row[0]).ToList();
        Assert.Equal(standing.Count, standing.Distinct().Count());
        Assert.Equal(confirmed.Select(order => order.OrderId).ToHashSet(), standing.ToHashSet());

        // Insights' totals equal the truth of Orders and Tickets once it has caught up.
        JsonElement overview = default;
        await Polling.UntilAsync(async () =>
        {
            overview = await shop.OverviewAsync();
            return overview.GetProperty("orders").GetProperty("confirmed").GetInt32() == confirmed.Count
                && overview.GetProperty("orders").GetProperty("pending").GetInt32() == 0
                && overview.GetProperty("tickets").GetProperty("sold").GetInt32() == valid.Count
                && overview.GetProperty("merch").GetProperty("sold").GetInt32() == sold;
        }, TimeSpan.FromMinutes(2));
        output.WriteLine($"invariants hold; total {clock.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>Injects the fault, lets it last, undoes it, and returns the time until the platform serves a checkout again.</summary>
    private static async Task<TimeSpan> InjectAsync(ChaosPlatform platform, string fault, MessageReplay? replay)
    {
        switch (fault)
        {
            case EveryMessageTwice:
                {
                    // Mid-drop: everything published so far once more, newest first, among the messages still coming.
                    var replaying = Stopwatch.StartNew();
                    await replay!.ReplayNewestFirstAsync();
                    return replaying.Elapsed;
                }

            case var kill when kill.StartsWith("kill ", StringComparison.Ordinal):
                {
                    var service = kill["kill ".Length..];
                    var victim = service == "gateway" ? platform.Gateway : platform.Instances(service)[0];
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
    private static async Task<TimeSpan> UndoneAfterAsync(ChaosPlatform platform, TimeSpan outage, Func<Task> undo)
    {
        await Task.Delay(outage);
        var undone = Stopwatch.StartNew();
        await undo();
        return await RecoveredAsync(platform, undone);
    }

    /// <summary>Waits until the gateway is ready and a new fan's hold and checkout are confirmed end to end.</summary>
    private static async Task<TimeSpan> RecoveredAsync(ChaosPlatform platform, Stopwatch since)
    {
        using var anyone = platform.Client();
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
        return since.Elapsed;
    }
}
