using Ticketing.Contracts.Tickets;

namespace Ticketing.Scaling.Tests;

public sealed partial class Two_instances_of_every_service
{
    private const int Orders = 500;
    private const int Rivals = 100;
    private const int KillAfterAccepted = 150;

    [Fact]
    [KillsInstances]
    public async Task Killing_an_instance_of_Tickets_and_of_Orders_mid_drop_loses_no_order_and_sells_no_seat_twice()
    {
        await using var recorder = await MessageRecorder.StartAsync(platform.Bus.AmqpUri, typeof(TicketsIssued));
        var paidBefore = (await StandingPaymentsAsync()).ToHashSet(); // the other tests' orders, on the same platform
        var concertId = await drop.ConcertOnSaleAsync(rows: 20, seatsPerRow: 25);
        var seats = Drop.SeatIds(20, 25);

        // Holds first: fan i wants seat i, and a rival wants each of the first hundred seats at the same moment.
        var holds = await SeatRace.HoldsAsync(
            seats, Orders, Rivals, parallelism: 32, async (fan, seat) => (await drop.TryHoldAsync(fan, concertId, [seat])).HoldId);
        Assert.Equal(Orders, holds.Count); // every seat held once, whoever won it

        // Who runs the single-runner work now: the instances to kill are the leaders, the hardest case.
        var ordersLeader = await LeaderAsync("orders", CheckoutTimeoutLock);
        var ticketsLeader = await LeaderAsync("tickets", HoldExpiryLock);

        // The drop: every holder checks out; once 150 orders are accepted, both leaders die by SIGKILL.
        var orders = new ConcurrentBag<(string Fan, Guid OrderId, string Seat)>();
        var killed = 0;
        await Parallel.ForEachAsync(holds, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (hold, _) =>
        {
            var orderId = await drop.CheckoutAsync(hold.Fan, holdId: hold.HoldId);
            orders.Add((hold.Fan, orderId, hold.Seat));
            if (orders.Count >= KillAfterAccepted && Interlocked.Exchange(ref killed, 1) == 0)
            {
                ordersLeader.Kill();
                ticketsLeader.Kill();
            }
        });
        Assert.Equal(1, killed);
        Assert.True(ordersLeader.HasExited && ticketsLeader.HasExited);

        // Every order reaches a final state on the survivors.
        var final = await drop.FinalOrdersAsync(orders.Select(order => (order.Fan, order.OrderId)).ToList(), TimeSpan.FromMinutes(4));
        var confirmed = orders.Where(order => final[order.OrderId].GetProperty("status").GetString() == "Confirmed").ToList();
        var cancelled = orders.Where(order => final[order.OrderId].GetProperty("status").GetString() == "Cancelled").ToList();
        Assert.Equal(Orders, confirmed.Count + cancelled.Count);
        Assert.True(confirmed.Count >= Orders * 9 / 10,
            $"only {confirmed.Count} of {Orders} orders were confirmed; cancelled for: {string.Join(", ", cancelled.Select(order => final[order.OrderId].GetProperty("reason").GetString()).Distinct())}");

        // No seat sold twice: one ticket per confirmed order, each for the order's own seat, no seat issued twice.
        var confirmedIds = confirmed.Select(order => order.OrderId).ToHashSet();
        await recorder.WaitForCountAsync<TicketsIssued>(message => confirmedIds.Contains(message.OrderId), confirmed.Count, TimeSpan.FromSeconds(90));
        var issued = recorder.All<TicketsIssued>()
            .DistinctBy(message => message.OrderId) // a replay after the kill may announce an order again, with the same tickets
            .ToList();
        var issuedSeats = issued.SelectMany(message => message.Tickets.Select(ticket => ticket.SeatId)).ToList();
        Assert.Equal(issuedSeats.Count, issuedSeats.Distinct().Count());
        Assert.All(issued, message => Assert.Contains(message.OrderId, confirmedIds));
        Assert.All(confirmed, order => Assert.Equal(
            [order.Seat], issued.Single(message => message.OrderId == order.OrderId).Tickets.Select(ticket => ticket.SeatId)));
        var seatMap = await drop.SeatStatusesAsync(concertId, map => map.Count(seat => seat.Value == "sold") >= issuedSeats.Count);
        Assert.Equal(confirmed.Select(order => order.Seat).ToHashSet(), seatMap.Where(seat => seat.Value == "sold").Select(seat => seat.Key).ToHashSet());

        // No paid order lost: every payment that still stands belongs to a confirmed order, and each confirmed order paid once.
        var paidOrders = (await StandingPaymentsAsync()).Where(orderId => !paidBefore.Contains(orderId)).ToList();
        Assert.Equal(paidOrders.Count, paidOrders.Distinct().Count());
        Assert.Equal(confirmedIds, paidOrders.ToHashSet());

        // The single-runner work moved to the survivors.
        await AssertRunsOnlyOnAsync("orders", CheckoutTimeoutLock, ordersLeader);
        await AssertRunsOnlyOnAsync("tickets", HoldExpiryLock, ticketsLeader);
    }

    /// <summary>The orders whose card authorization stands (approved and neither voided nor refunded), one row per payment.</summary>
    private async Task<IReadOnlyList<Guid>> StandingPaymentsAsync() =>
        (await drop.QueryAsync("orders",
            "SELECT id FROM mt_doc_simulatedauthorization WHERE (data->'result'->>'approved')::boolean AND data->>'state' = 'authorized'"))
        .Select(row => (Guid)row[0]).ToList();

    private async Task<ProcessHost> LeaderAsync(string service, long timerLock)
    {
        IReadOnlyDictionary<long, IReadOnlyList<string>> locks = new Dictionary<long, IReadOnlyList<string>>();
        await Polling.UntilAsync(async () => (locks = await platform.AdvisoryLockHoldersAsync(service)).ContainsKey(timerLock), TimeSpan.FromSeconds(60));
        var name = locks[timerLock].Single();
        return platform.Instances(service).Single(host => host.Name == name);
    }

    /// <summary>
    /// Every advisory lock of the service (the timer's and Marten's async daemon's) is held by the survivor alone,
    /// and there are at least as many as the dead leader held: the daemon and the timer resumed there.
    /// </summary>
    private async Task AssertRunsOnlyOnAsync(string service, long timerLock, ProcessHost dead)
    {
        var survivor = platform.Instances(service).Single(host => host != dead).Name;
        IReadOnlyDictionary<long, IReadOnlyList<string>> locks = new Dictionary<long, IReadOnlyList<string>>();
        await Polling.UntilAsync(
            async () => (locks = await platform.AdvisoryLockHoldersAsync(service)).Count >= 2 && locks.ContainsKey(timerLock),
            TimeSpan.FromSeconds(60));
        Assert.All(locks, pair => Assert.Equal([survivor], pair.Value));
    }
}
