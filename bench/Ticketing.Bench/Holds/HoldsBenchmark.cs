using System.Collections.Concurrent;
using System.Diagnostics;
using Ticketing.Bench.Api;
using Ticketing.Bench.Infrastructure;
using Ticketing.Bench.Reference;

namespace Ticketing.Bench.Holds;

/// <summary>What one path's sale measured.</summary>
internal sealed record SaleResult(PairSale Sale, int Holds, double HoldRate, Stats Latency, PhaseCost Cost)
{
    public IEnumerable<HoldAttempt> Held => Sale.Attempts.Where(attempt => attempt.Answer.Outcome == HoldOutcome.Held);
}

/// <summary>
/// <c>holds</c>: a venue sold out in best-available pairs, through the gateway, with --fans in flight, side by side
/// with the plain-SQL reference (<see cref="ReferenceHost"/>) measured in the same run by the same fans. Per path:
/// holds/s (holds / time to the last hold), latency percentiles at that load, what each hold cost; then the seats
/// held are compared with the holds given (nothing twice, nothing missing or extra, the venue sold out).
/// </summary>
internal sealed class HoldsBenchmark(Venue venue, Venue warmUpVenue, int fans, TimeSpan phaseCap, Servers servers) : IBenchmarkRun
{
    public static readonly Benchmark Definition = new("holds", "Flash sale: best-available pairs held per second through the gateway, beside a plain-SQL reference",
        options => new HoldsBenchmark(
            Venue.Read(options, "seats", 20_000, "venue size"),
            Venue.Read(options, "warm-up-seats", 4_000, "a smaller venue sold out first on both paths, not measured"),
            options.Int("fans", 64, 1, 5_000, "fans in flight at once (closed loop), each holding the best available pair of a tier"),
            TimeSpan.FromSeconds(options.Int("phase-seconds", 300, 10, 400, "stop a phase that has not sold out after this long (holds expire after 7 minutes)")),
            Servers.Read(options)));

    private const int MaxRequestsPerFan = 8;

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var report = new Report(output, "platform, through the gateway", "plain-SQL reference, through a second gateway");
        await using var platform = await PlatformSession.StartAsync(servers, fans * 2, report, cancellationToken);
        report.Section("Setting up");
        await using var reference = await ReferenceHost.StartAsync(servers, report, cancellationToken);
        using var referenceGateway = new PlatformClient(reference.Gateway, fans * 2);
        await referenceGateway.WarmUpAsync(fans * 2, cancellationToken);
        var concertId = await platform.ConcertAsync(report, venue, "measured", cancellationToken);
        var referenceConcertId = await reference.CreateConcertAsync(venue, cancellationToken);
        report.Line($"reference concert {referenceConcertId}: {venue.Capacity:N0} seats laid out in database {ReferenceSeats.Database}");

        report.Section($"Warm-up, not measured: both paths sell out a {warmUpVenue.Capacity:N0}-seat venue");
        var warmUp = await SellAsync(PairSale.OnPlatform(platform.Client, await platform.ConcertAsync(report, warmUpVenue, "warm-up", cancellationToken)), "warm-up", cancellationToken);
        await SellAsync(ReferenceSale(referenceGateway, reference, await reference.CreateConcertAsync(warmUpVenue, cancellationToken)), "warm-up-reference", cancellationToken);

        report.Section($"Platform: {fans} fans in flight through the gateway {servers.Gateway}");
        var onPlatform = await MeasureAsync(report, platform, PairSale.OnPlatform(platform.Client, concertId), "platform", cancellationToken);
        await Task.Delay(PlatformClient.SeatMapFreshness, cancellationToken);
        Verify(report, onPlatform, (await platform.Client.SeatMapAsync(concertId, cancellationToken)).Where(seat => seat.Value == "held").Select(seat => seat.Key));

        report.Section($"Reference: {fans} fans in flight through the second gateway {reference.Gateway}");
        var onReference = await MeasureAsync(report, platform, ReferenceSale(referenceGateway, reference, referenceConcertId), "reference", cancellationToken);
        Verify(report, onReference, (await reference.HeldAsync(referenceConcertId, cancellationToken)).Keys);

        Summarize(report, onPlatform, onReference);
        report.Section("Releasing the platform's holds (not measured), so that their expiry does not land in a later run");
        await HoldReleases.ReleaseAsync(report, platform.Client, onPlatform.Held.Concat(warmUp.Attempts), fans, cancellationToken);
        return report.Summary();
    }

    private static PairSale ReferenceSale(PlatformClient referenceGateway, ReferenceHost reference, Guid concertId) => new(
        Venue.Tiers.Select(tier => tier.Code).ToList(),
        (fanId, tier, token) => referenceGateway.HoldBestAsync(ReferenceHost.Route, concertId, fanId, tier, PairSale.Quantity, token),
        token => reference.SeatsLeftAsync(concertId, token),
        TimeSpan.Zero);

    /// <summary>--fans fans in a closed loop, a new fan for every pair, until the venue is sold out or --phase-seconds passed.</summary>
    private async Task<PairSale> SellAsync(PairSale sale, string purpose, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var next = 0;
        await Load.ClosedAsync(fans, async token =>
        {
            if (sale.SoldOut || Stopwatch.GetElapsedTime(start) > phaseCap)
            {
                return false;
            }

            await sale.HoldPairAsync($"bench-{RunInfo.Tag}-{purpose}-{Interlocked.Increment(ref next)}", MaxRequestsPerFan, token);
            return true;
        }, cancellationToken);
        return sale;
    }

    private async Task<SaleResult> MeasureAsync(Report report, PlatformSession platform, PairSale sale, string purpose, CancellationToken cancellationToken)
    {
        var meter = await platform.MeasureAsync([ReferenceHost.EndpointProcess, ReferenceHost.GatewayProcess], cancellationToken);
        await SellAsync(sale, purpose, cancellationToken);
        var cost = await meter.StopAsync(cancellationToken);
        var attempts = sale.Attempts.ToList();
        var held = attempts.Where(attempt => attempt.Answer.Outcome == HoldOutcome.Held).ToList();
        var first = attempts.Min(attempt => attempt.SentAt);
        var toLastHold = held.Count == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(first, held.Max(attempt => attempt.AnsweredAt));
        var result = new SaleResult(sale, held.Count, Stats.Rate(held.Count, toLastHold), new Stats(attempts.Select(attempt => attempt.LatencyMs)), cost);
        report.Line($"{held.Count:N0} holds in {toLastHold.TotalSeconds:F1} s = {result.HoldRate:F0} holds/s; {attempts.Count:N0} answers: " +
                    Report.Tally(attempts.Select(attempt => attempt.Answer.Status)));
        report.Line($"latency, {fans} in flight: {result.Latency.Milliseconds()}");
        report.Line($"sold out: {sale.SoldOut} after {sale.Rounds} reading(s) of the seats left");
        report.Cost("hold", held.Count, cost);
        return result;
    }

    /// <summary>The seats held must be exactly the seats of the holds given, each in one hold, and the venue sold out.</summary>
    private void Verify(Report report, SaleResult result, IEnumerable<string> heldSeats)
    {
        var given = result.Held.SelectMany(attempt => attempt.Answer.SeatIds).ToList();
        var givenSet = given.ToHashSet(StringComparer.Ordinal);
        var heldSet = heldSeats.ToHashSet(StringComparer.Ordinal);
        var failures = result.Sale.Attempts.Where(attempt => attempt.Answer.Outcome is not (HoldOutcome.Held or HoldOutcome.NotEnoughSeats)).ToList();
        var checks = report.Checks;
        checks.Check(given.Count == givenSet.Count, $"oversold 0: {given.Count - givenSet.Count} seats given in two holds");
        checks.Check(result.Held.All(attempt => attempt.Answer.SeatIds.Count == PairSale.Quantity), "every hold is a pair");
        checks.Check(heldSet.SetEquals(givenSet), $"seat map exact: {heldSet.Count:N0} seats held, {givenSet.Count:N0} given; {heldSet.Except(givenSet).Count()} held but not given, {givenSet.Except(heldSet).Count()} given but not held");
        checks.Check(heldSet.Count == venue.Capacity, $"sold out: {venue.Capacity - heldSet.Count:N0} of {venue.Capacity:N0} seats left");
        checks.Check(failures.Count == 0, $"every answer a 201 or 409 not enough seats: {failures.Count} others{(failures.Count > 0 ? $", first {failures[0].Answer.Status} {failures[0].Answer.Error}" : "")}");
    }

    private static void Summarize(Report report, SaleResult platform, SaleResult reference)
    {
        report.Section("Figures");
        report.Figure("**holds/s** (best-available pairs, to sold out)", $"**{platform.HoldRate:F0}**", $"**{reference.HoldRate:F0}**");
        report.Figure("**ratio platform ÷ reference**", $"**{platform.HoldRate / reference.HoldRate:F2}**", "1");
        report.Figure("hold latency at that load", platform.Latency.Percentiles(), reference.Latency.Percentiles());
        report.Figure("holds / answers", $"{platform.Holds:N0} / {platform.Sale.Attempts.Count:N0}", $"{reference.Holds:N0} / {reference.Sale.Attempts.Count:N0}");
        report.Figure("CPU ms per hold: system (whole box)", platform.Cost.CpuPer(platform.Holds), reference.Cost.CpuPer(reference.Holds));
        report.Figure("holds/s the cores would carry at that CPU per hold (cores ÷ system ms)", platform.Cost.CpuBoundRate(platform.Holds), reference.Cost.CpuBoundRate(reference.Holds));
        report.Figure("rows written per hold", platform.Cost.RowsPer(platform.Holds), reference.Cost.RowsPer(reference.Holds));
        report.Figure("broker deliveries per hold", platform.Cost.DeliveriesPer(platform.Holds), reference.Cost.DeliveriesPer(reference.Holds));
        report.Line($"target (issue 15): platform >= 1.0 x reference: {(platform.HoldRate >= reference.HoldRate ? "met" : "MISSED")}; p99 <= 100 ms: {(platform.Latency.P99 <= 100 ? "met" : "MISSED")}");
    }
}
