using System.Collections.Concurrent;
using System.Diagnostics;
using Ticketing.Bench.Api;
using Ticketing.Bench.Holds;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Stadium;

/// <summary>One fan's way through: the hold, then the checkout of it.</summary>
internal sealed record FanPurchase(string FanId, HoldAttempt Hold, PlaceAnswer Checkout, long AnsweredAt);

/// <summary>
/// <c>stadium</c>: a concert sold out end to end. --fans fans, --in-flight at a time, each holds the best available
/// pair of a tier and checks it out (an approving card); then the benchmark waits until every order is final, every
/// seat shows sold and every ticket is issued. Reports the total time, the time until every hold and checkout was
/// answered, until the last seat showed sold and the last ticket came, and what it cost per fan; checks that no seat
/// was held or ticketed twice and that tickets issued = seats sold. With --warm-up-seats, a smaller concert is sold out
/// the same way first and not measured, its time reported on its own: the first sale after the services start also
/// pays for compiling their code (tiered JIT). None by default, so that the figure is the drop's on a fresh start, as
/// in every row before the option; a 4,000-seat warm-up did not make the next sale measurably faster on 2026-12-04.
/// </summary>
internal sealed class StadiumBenchmark(Venue venue, Venue? warmUpVenue, int fans, int inFlight, TimeSpan settleTimeout, Servers servers) : IBenchmarkRun
{
    public static readonly Benchmark Definition = new("stadium", "Stadium: 60,000 seats sold end to end, 30,000 fans holding a pair and paying, 64 in flight",
        options => new StadiumBenchmark(
            Venue.Read(options, "seats", 60_000, "stadium size"),
            Venue.ReadOptional(options, "warm-up-seats", "a smaller concert sold out end to end first, not measured (none: the sale meets the services cold)"),
            options.Int("fans", 30_000, 1, 100_000, "fans, each holding the best available pair of a tier and paying for it"),
            options.Int("in-flight", 64, 1, 5_000, "fans in flight at once (closed loop)"),
            TimeSpan.FromSeconds(options.Int("settle-timeout-seconds", 1800, 10, 7200, "how long to wait, after the last checkout, for every seat sold and ticket issued")),
            Servers.Read(options)));

    private const int MaxHoldRequestsPerFan = 8;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(30);

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var report = new Report(output);
        await using var platform = await PlatformSession.StartAsync(servers, inFlight * 2, report, cancellationToken);
        var messages = platform.Orders;
        if (warmUpVenue is not null)
        {
            await WarmUpAsync(platform, report, warmUpVenue, cancellationToken);
        }

        report.Section("Setting up");
        var concertId = await platform.ConcertAsync(report, venue, "stadium", cancellationToken);

        report.Section($"The sale: {fans:N0} fans, {inFlight} in flight, each holding a pair and paying");
        var sale = PairSale.OnPlatform(platform.Client, concertId);
        var meter = await platform.MeasureAsync([], cancellationToken);
        var start = Stopwatch.GetTimestamp();
        var purchasing = new ConcurrentQueue<FanPurchase>();
        await using (report.Progress(() => $"{purchasing.Count:N0} fans held a pair and checked out; {messages.TicketCount:N0} tickets issued", ProgressInterval))
        {
            await SellAsync(platform.Client, sale, purchasing, fans, "fan", cancellationToken);
        }

        var purchases = purchasing.ToList();
        var answered = Stopwatch.GetElapsedTime(start);
        report.Line($"every hold and checkout answered after {answered.TotalSeconds:F1} s: {purchases.Count:N0} fans held a pair, {purchases.Count(purchase => purchase.Checkout.Accepted):N0} checkouts accepted");

        var accepted = purchases.Where(purchase => purchase.Checkout.Accepted).ToList();
        (bool Done, long SeenAt) soldOut;
        await using (report.Progress(() => $"{messages.TicketCount:N0} tickets issued", ProgressInterval))
        {
            soldOut = await WaitUntilSoldAsync(platform.Client, messages, concertId, accepted, cancellationToken);
        }

        var (allSold, soldSeenAt) = soldOut;
        var lastSeatSold = Stopwatch.GetElapsedTime(start, soldSeenAt);
        var lastTicket = messages.LastTicketsAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(start, messages.LastTicketsAt);
        var total = lastSeatSold > lastTicket ? lastSeatSold : lastTicket;
        var insightsLive = await platform.Client.WaitForInsightsAsync("concerts", concertId, venue.Capacity, cancellationToken);
        var insightsLag = Stopwatch.GetElapsedTime(start) - total;
        var cost = await meter.StopAsync(cancellationToken);

        var holds = sale.Attempts.Where(attempt => attempt.Answer.Outcome == HoldOutcome.Held).ToList();
        var holdLatency = new Stats(sale.Attempts.Select(attempt => attempt.LatencyMs));
        var checkoutLatency = new Stats(purchases.Select(purchase => Stopwatch.GetElapsedTime(purchase.Hold.AnsweredAt, purchase.AnsweredAt).TotalMilliseconds));
        report.Line($"hold latency, {inFlight} in flight: {holdLatency.Milliseconds()}; checkout latency: {checkoutLatency.Milliseconds()}");
        report.Line($"last seat shown sold after {lastSeatSold.TotalSeconds:F1} s, last tickets issued after {lastTicket.TotalSeconds:F1} s; Insights showed it sold out {insightsLag.TotalSeconds:F1} s later");
        report.Cost("fan", purchases.Count, cost);

        var finals = accepted.Select(purchase => messages.FinalsOf(purchase.Checkout.OrderId)).ToList();
        var heldSeats = holds.SelectMany(attempt => attempt.Answer.SeatIds).ToList();
        var ticketSeats = accepted.SelectMany(purchase => messages.TicketsOf(purchase.Checkout.OrderId)).SelectMany(issued => issued.SeatIds).ToList();
        var seatsSold = (await platform.Client.AvailabilityAsync(concertId, cancellationToken)).Sum(tier => tier.Sold);
        var others = sale.Attempts.Where(attempt => attempt.Answer.Outcome is not (HoldOutcome.Held or HoldOutcome.NotEnoughSeats)).ToList();
        var checks = report.Checks;
        checks.Check(purchases.Count == fans && accepted.Count == fans,
            $"every fan held a pair and had the checkout accepted: {purchases.Count:N0} held, {accepted.Count:N0} accepted of {fans:N0}");
        checks.Check(others.Count == 0, $"every hold answered 201 or 409 not enough seats: {others.Count} others{(others.Count > 0 ? $", first {others[0].Answer.Status} {others[0].Answer.Error}" : "")}");
        checks.Check(finals.All(list => list.Count == 1), $"every order final exactly once: {finals.Count(list => list.Count == 0)} without, {finals.Count(list => list.Count > 1)} with more");
        checks.Check(finals.All(list => list.FirstOrDefault()?.Confirmed == true), $"every order confirmed: {finals.Count(list => list.FirstOrDefault()?.Confirmed == false)} cancelled " +
            string.Join(", ", finals.Where(list => list.FirstOrDefault()?.Confirmed == false).GroupBy(list => list[0].Reason).Select(group => $"{group.Key} x{group.Count()}")));
        checks.Check(heldSeats.Count == heldSeats.Distinct().Count() && ticketSeats.Count == ticketSeats.Distinct().Count(),
            $"no seat twice: {heldSeats.Count - heldSeats.Distinct().Count()} held twice, {ticketSeats.Count - ticketSeats.Distinct().Count()} ticketed twice");
        checks.Check(ticketSeats.Count == seatsSold && seatsSold == 2 * finals.Count(list => list.FirstOrDefault()?.Confirmed == true),
            $"tickets issued {ticketSeats.Count:N0} = seats sold {seatsSold:N0} = 2 x orders confirmed");
        checks.Check(allSold && seatsSold == Math.Min(venue.Capacity, 2 * fans), $"every seat shows sold: {seatsSold:N0} of {venue.Capacity:N0}");
        checks.Check(insightsLive, "Insights live: it shows the concert sold out");

        report.Section("Figures");
        report.Figure("**sold out end to end** (first hold to the last seat sold and ticket issued)", $"**{total.TotalSeconds:F1} s**");
        report.Figure("every hold and checkout answered", $"{answered.TotalSeconds:F1} s");
        report.Figure("last seat shown sold / last tickets issued", $"{lastSeatSold.TotalSeconds:F1} s / {lastTicket.TotalSeconds:F1} s");
        report.Figure($"hold latency, {inFlight} in flight", holdLatency.Percentiles());
        report.Figure("orders final / confirmed; tickets issued", $"{finals.Count(list => list.Count > 0):N0} / {finals.Count(list => list.FirstOrDefault()?.Confirmed == true):N0}; {ticketSeats.Count:N0}");
        report.Figure("CPU ms per fan (a pair held and paid): system (whole box)", cost.CpuPer(purchases.Count));
        report.Figure("fans/s the cores would carry at that CPU per fan (cores ÷ system ms)", cost.CpuBoundRate(purchases.Count));
        report.Figure("rows written / broker deliveries per fan", $"{cost.RowsPer(purchases.Count)} / {cost.DeliveriesPer(purchases.Count)}");
        report.Line($"target (issue 15): sold out end to end in <= 60 s: {(allSold && total.TotalSeconds <= 60 ? "met" : "MISSED")}");
        return report.Summary();
    }

    /// <summary>A smaller concert sold out end to end as the stadium will be; only its time is reported.</summary>
    private async Task WarmUpAsync(PlatformSession platform, Report report, Venue warmUp, CancellationToken cancellationToken)
    {
        report.Section($"Warm-up, not measured: a {warmUp.Capacity:N0}-seat concert sold out end to end, {warmUp.Capacity / 2:N0} fans, {inFlight} in flight");
        var concertId = await platform.ConcertAsync(report, warmUp, "warm-up", cancellationToken);
        var purchasing = new ConcurrentQueue<FanPurchase>();
        var start = Stopwatch.GetTimestamp();
        await SellAsync(platform.Client, PairSale.OnPlatform(platform.Client, concertId), purchasing, warmUp.Capacity / 2, "warm-up-fan", cancellationToken);
        var accepted = purchasing.Where(purchase => purchase.Checkout.Accepted).ToList();
        var (done, seenAt) = await WaitUntilSoldAsync(platform.Client, platform.Orders, concertId, accepted, cancellationToken);
        report.Line($"{(done ? "sold out end to end" : "NOT sold out (given up)")} after {Stopwatch.GetElapsedTime(start, seenAt).TotalSeconds:F1} s: " +
            $"{accepted.Count:N0} fans held a pair and paid ({accepted.Count / Stopwatch.GetElapsedTime(start, seenAt).TotalSeconds:F0} fans/s)");
    }

    /// <summary>Each of <paramref name="fanCount"/> fans, --in-flight at a time: the best pair of a tier, then its checkout.</summary>
    private async Task SellAsync(PlatformClient platform, PairSale sale, ConcurrentQueue<FanPurchase> purchases, int fanCount, string fanName, CancellationToken cancellationToken)
    {
        var next = -1;
        await Load.ClosedAsync(inFlight, async token =>
        {
            var index = Interlocked.Increment(ref next);
            if (index >= fanCount || sale.SoldOut)
            {
                return false;
            }

            var fanId = $"bench-{RunInfo.Tag}-{fanName}-{index}";
            if (await sale.HoldPairAsync(fanId, MaxHoldRequestsPerFan, token) is { } hold)
            {
                var checkout = await platform.CheckoutAsync(fanId, hold.Answer.HoldId, productId: null, token);
                purchases.Enqueue(new FanPurchase(fanId, hold, checkout, Stopwatch.GetTimestamp()));
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Waits until every accepted order is final, the seat map's availability shows two sold seats per confirmed
    /// order and as many tickets came; whether that happened, and when the availability first showed it.
    /// </summary>
    private async Task<(bool Done, long SeenAt)> WaitUntilSoldAsync(
        PlatformClient platform, OrderMessages messages, Guid concertId, IReadOnlyList<FanPurchase> accepted, CancellationToken cancellationToken)
    {
        try
        {
            await PlatformClient.PollAsync("every seat sold and ticket issued", settleTimeout, async token =>
            {
                var finals = accepted.Select(purchase => messages.FinalsOf(purchase.Checkout.OrderId).FirstOrDefault()).ToList();
                if (finals.Any(final => final is null))
                {
                    return false;
                }

                var seats = 2 * finals.Count(final => final!.Confirmed);
                var tickets = accepted.Sum(purchase => messages.TicketsOf(purchase.Checkout.OrderId).Sum(issued => issued.SeatIds.Count));
                return tickets >= seats && (await platform.AvailabilityAsync(concertId, token)).Sum(tier => tier.Sold) >= seats;
            }, cancellationToken);
            return (true, Stopwatch.GetTimestamp());
        }
        catch (TimeoutException)
        {
            return (false, Stopwatch.GetTimestamp());
        }
    }
}
