using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Bench.Holds;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Reads;

public sealed class ReadsRun(ReadsSettings settings) : IBenchmarkRun
{
    private const double TargetReadsPerSecond = 10_000;
    private const double TargetP99Ms = 50;
    private const double TargetRatio = 0.6;
    private const double TargetSeatStatePerSecond = 5_000;
    private const int TargetSeatStateBytes = 10 * 1024;
    private const double TargetVisibleMs = 1_000;

    private static readonly ProcessGroup[] Groups =
    [
        SystemProcesses.TheBench(),
        SystemProcesses.Service("Gateway"),
        SystemProcesses.Service("Catalog"),
        SystemProcesses.Service("Tickets"),
        SystemProcesses.Services("Orders, Insights", "Orders", "Insights"),
        SystemProcesses.Broker(),
        SystemProcesses.OtherPostgres(),
    ];

    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var checks = new Checks(output);
        var gateway = settings.Servers.Gateway;
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(2) };
        var venue = new Venue(settings.Seats);

        output.WriteLine();
        output.WriteLine($"## setup: a {venue.Capacity:N0}-seat concert through the Catalog, {settings.Holds:N0} holds (mid-sale)");
        var concertId = await CreateConcertAsync(http, venue, cancellationToken);
        var held = await HoldAsync(http, venue, concertId, cancellationToken);
        output.WriteLine($"  concert {concertId}: {held.Count:N0} seats held by {settings.Holds:N0} hold requests");
        await Task.Delay(1500, cancellationToken); // the seat state and the gateway's copy are at most ~1.25 s old
        var state = await http.GetFromJsonAsync<JsonElement>($"api/tickets/concerts/{concertId}/seat-state", cancellationToken);
        var codes = string.Concat(state.GetProperty("sections").EnumerateArray().Select(section => section.GetProperty("seats").GetString()));
        checks.Check(codes.Length == venue.Capacity, $"the seat state has one letter per seat ({codes.Length:N0} of {venue.Capacity:N0})");
        checks.Check(codes.Count(code => code == 'h') == held.Count, $"the seat state shows exactly the seats held ({codes.Count(code => code == 'h'):N0} h, {held.Count:N0} held)");

        output.WriteLine();
        output.WriteLine("## wire size of the seat state (one GET each, body bytes)");
        var sizes = new Dictionary<string, (long Body, long Headers)>();
        foreach (var encoding in new[] { "br", "gzip", "identity" })
        {
            sizes[encoding] = await WireSizeAsync(new Uri(gateway, $"api/tickets/concerts/{concertId}/seat-state"), encoding, cancellationToken);
            output.WriteLine($"  {encoding,-8} body {sizes[encoding].Body,7:N0} B, headers ~{sizes[encoding].Headers:N0} B");
        }

        output.WriteLine();
        output.WriteLine($"## reads: closed loop, {settings.Connections} connections, {settings.WarmupSeconds} s warm-up + {settings.Seconds} s each, Accept-Encoding: br, gzip");
        var reads = new (string Name, string Path)[]
        {
            ("/health/live (reference)", "health/live"),
            ("catalog list", "api/catalog/concerts"),
            ("concert details", $"api/catalog/concerts/{concertId}"),
            ("availability", $"api/tickets/concerts/{concertId}/availability"),
            ($"seat state ({venue.Capacity:N0} seats)", $"api/tickets/concerts/{concertId}/seat-state"),
            ("layout", $"api/tickets/concerts/{concertId}/layout"),
        };
        var results = new List<LoopResult>();
        using (var loop = new ClosedLoop(settings.Connections))
        {
            foreach (var (name, path) in reads)
            {
                var cpu = CpuMeter.Start(Groups);
                var result = await loop.RunAsync(name, new Uri(gateway, path), TimeSpan.FromSeconds(settings.WarmupSeconds), TimeSpan.FromSeconds(settings.Seconds), cancellationToken);
                var usage = cpu?.Stop();
                results.Add(result);
                output.WriteLine($"  {name,-28} {result.PerSecond,9:N0} req/s  {result.Latency.Milliseconds()}  {result.BytesPerAnswer:N0} B/answer  failed {result.Failed}{(result.FirstFailure is { } failure ? $" ({failure})" : "")}");
                if (usage is not null)
                {
                    output.WriteLine($"      cpu: {usage}");
                }

                checks.Check(result.Failed == 0 && result.Ok > 0, $"{name}: every read answered 200 ({result.Ok:N0} ok, {result.Failed:N0} not)");
            }
        }

        var reference = results[0].PerSecond;
        output.WriteLine();
        output.WriteLine("## against the targets (issue 17; targets, not correctness checks)");
        foreach (var result in results.Skip(1).Take(3))
        {
            var ratio = reference > 0 ? result.PerSecond / reference : 0;
            output.WriteLine($"  {result.Name,-28} {result.PerSecond,9:N0} req/s (>= {TargetReadsPerSecond:N0}: {Met(result.PerSecond >= TargetReadsPerSecond)}), " +
                             $"p99 {result.Latency.P99:F1} ms (<= {TargetP99Ms} ms: {Met(result.Latency.P99 <= TargetP99Ms)}), " +
                             $"{ratio:F2}x /health/live (>= {TargetRatio}: {Met(ratio >= TargetRatio)})");
        }

        var seatState = results[4];
        output.WriteLine($"  {seatState.Name,-28} {seatState.PerSecond,9:N0} req/s (>= {TargetSeatStatePerSecond:N0}: {Met(seatState.PerSecond >= TargetSeatStatePerSecond)}), " +
                         $"{sizes["br"].Body:N0} B + ~{sizes["br"].Headers:N0} B headers with Brotli (<= {TargetSeatStateBytes:N0} B: {Met(sizes["br"].Body + sizes["br"].Headers <= TargetSeatStateBytes)})");

        if (settings.Subscribers > 0)
        {
            await ListenersAsync(output, checks, venue, concertId, held, cancellationToken);
        }

        return checks.AllPassed;
    }

    private async Task ListenersAsync(TextWriter output, Checks checks, Venue venue, Guid concertId, HashSet<string> held, CancellationToken cancellationToken)
    {
        output.WriteLine();
        output.WriteLine($"## {settings.Subscribers:N0} SSE listeners of the seat state at {settings.ListenBase} ({settings.ListenAt}), {settings.SubscribeRate:N0} connecting a second");
        var gatewayBefore = ResidentMemory.Of("Gateway");
        var ticketsBefore = ResidentMemory.Of("Tickets");
        await using var listeners = new SeatStateListeners(settings.Subscribers, settings.Probes);
        var connecting = Stopwatch.StartNew();
        await listeners.ConnectAsync(new Uri(settings.ListenBase, $"api/tickets/concerts/{concertId}/seat-state/stream"), settings.SubscribeRate, TimeSpan.FromMinutes(2), cancellationToken);
        await Task.Delay(2000, cancellationToken); // let the servers settle (buffers of the first snapshots returned to their pools)
        var gatewayAfter = ResidentMemory.Of("Gateway");
        var ticketsAfter = ResidentMemory.Of("Tickets");
        output.WriteLine($"  {listeners.Connected:N0} connected with their snapshot in {connecting.Elapsed.TotalSeconds:F1} s, {listeners.Failed:N0} failed{(listeners.FirstFailure is { } failure ? $" ({failure})" : "")}");
        output.WriteLine($"  resident memory: gateway {Mb(gatewayBefore)} -> {Mb(gatewayAfter)} MB ({PerListener(gatewayBefore, gatewayAfter, listeners.Connected)} KB per listener), " +
                         $"Tickets {Mb(ticketsBefore)} -> {Mb(ticketsAfter)} MB ({PerListener(ticketsBefore, ticketsAfter, listeners.Connected)} KB per listener)");
        checks.Check(listeners.Connected == settings.Subscribers, $"every listener connected ({listeners.Connected:N0} of {settings.Subscribers:N0})");

        using var http = new HttpClient { BaseAddress = settings.Servers.Gateway };
        var random = new Random(17);
        var samples = new List<double>();
        var missing = 0;
        for (var number = 0; number < settings.Probes; number++)
        {
            await Task.Delay(1500, cancellationToken); // past the last push's minimum gap: what is timed is one change, not the coalescing
            var (seatId, sectionCode, index) = FreeSeat(venue, held, random);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/tickets/concerts/{concertId}/holds")
            {
                Content = JsonContent.Create(new { seatIds = new[] { seatId } }),
            };
            request.Headers.Authorization = BenchTokens.Fan($"reads-probe-{concertId:N}-{number}");
            using var answer = await http.SendAsync(request, cancellationToken);
            var heldAt = Stopwatch.GetTimestamp();
            if (answer.StatusCode != HttpStatusCode.Created)
            {
                output.WriteLine($"  probe {number}: {seatId} answered {(int)answer.StatusCode}, skipped");
                continue;
            }

            held.Add(seatId);
            var heard = await listeners.TimeAsync(new Probe(number, sectionCode, index, heldAt), TimeSpan.FromSeconds(15), cancellationToken);
            var stats = new Stats(heard);
            missing += listeners.Connected - heard.Length;
            samples.AddRange(heard);
            output.WriteLine($"  probe {number}: {seatId} held; heard by {heard.Length:N0} of {listeners.Connected:N0}: {stats.Milliseconds()}");
        }

        var all = new Stats(samples);
        output.WriteLine($"  hold -> every listener: {all.Milliseconds()} (p99 <= {TargetVisibleMs} ms: {Met(all.P99 <= TargetVisibleMs)})");
        checks.Check(missing == 0 && samples.Count > 0, $"every listener heard every probe hold ({missing:N0} missed)");
    }

    private async Task<Guid> CreateConcertAsync(HttpClient http, Venue venue, CancellationToken cancellationToken)
    {
        var title = string.Create(CultureInfo.InvariantCulture, $"Reads {DateTimeOffset.UtcNow:MMdd-HHmmss}");
        using var create = new HttpRequestMessage(HttpMethod.Post, "api/catalog/concerts") { Content = JsonContent.Create(venue.ConcertRequest(title, 4, DateTimeOffset.UtcNow)) };
        create.Headers.Authorization = BenchTokens.Operator;
        using var created = await http.SendAsync(create, cancellationToken);
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid();
        using var publish = new HttpRequestMessage(HttpMethod.Post, $"api/catalog/concerts/{id}/publish");
        publish.Headers.Authorization = BenchTokens.Operator;
        (await http.SendAsync(publish, cancellationToken)).EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow.AddSeconds(settings.BuildTimeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            using var availability = await http.GetAsync($"api/tickets/concerts/{id}/availability", cancellationToken);
            if (availability.IsSuccessStatusCode)
            {
                return id;
            }

            await Task.Delay(500, cancellationToken);
        }

        throw new TimeoutException($"Tickets did not build concert {id} within {settings.BuildTimeoutSeconds} s.");
    }

    /// <summary>Half best available (2 of a tier), half a specific pair in a random row; 16 in flight. Returns the seats held.</summary>
    private async Task<HashSet<string>> HoldAsync(HttpClient http, Venue venue, Guid concertId, CancellationToken cancellationToken)
    {
        var held = new HashSet<string>(StringComparer.Ordinal);
        var random = new Random(42);
        var requests = Enumerable.Range(0, settings.Holds).Select(i =>
        {
            if (i % 2 == 0)
            {
                return (Fan: $"reads-{concertId:N}-{i}", Body: (object)new { tier = Venue.Tiers[i / 2 % Venue.Tiers.Count].Code, quantity = 2 });
            }

            var row = random.Next(venue.Rows);
            var first = random.Next(Venue.SeatsPerRow - 1);
            var index = row * Venue.SeatsPerRow + first;
            return (Fan: $"reads-{concertId:N}-{i}", Body: (object)new { seatIds = new[] { venue.SeatIds[index], venue.SeatIds[index + 1] } });
        }).ToList();
        BenchTokens.Prepare(requests.Select(request => request.Fan));
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (hold, token) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/tickets/concerts/{concertId}/holds") { Content = JsonContent.Create(hold.Body) };
            request.Headers.Authorization = BenchTokens.Fan(hold.Fan);
            using var answer = await http.SendAsync(request, token);
            if (answer.StatusCode == HttpStatusCode.Created)
            {
                var seats = (await answer.Content.ReadFromJsonAsync<JsonElement>(token)).GetProperty("seatIds").EnumerateArray().Select(seat => seat.GetString()!);
                lock (held)
                {
                    held.UnionWith(seats);
                }
            }
        });
        return held;
    }

    /// <summary>A seat of a back row that no hold took, its section and its index in the section.</summary>
    private static (string SeatId, string Section, int Index) FreeSeat(Venue venue, HashSet<string> held, Random random)
    {
        while (true)
        {
            var section = random.Next(venue.Sections);
            var indexInSection = (Venue.RowsPerSection - 1 - random.Next(5)) * Venue.SeatsPerRow + random.Next(Venue.SeatsPerRow);
            var seatId = venue.SeatIds[section * Venue.SeatsPerSection + indexInSection];
            if (!held.Contains(seatId))
            {
                return (seatId, Venue.SectionCode(section), indexInSection);
            }
        }
    }

    private static async Task<(long Body, long Headers)> WireSizeAsync(Uri address, string encoding, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None });
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.TryAddWithoutValidation("Accept-Encoding", encoding);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = response.Headers.Concat(response.Content.Headers)
            .Sum(header => header.Key.Length + 4 + header.Value.Sum(value => value.Length)) + 20;
        return (body.Length, headers);
    }

    private static string Met(bool met) => met ? "met" : "NOT met";

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("F0", CultureInfo.InvariantCulture);

    private static string PerListener(long before, long after, int listeners) =>
        listeners == 0 ? "-" : ((after - before) / 1024.0 / listeners).ToString("F1", CultureInfo.InvariantCulture);
}

/// <summary>Resident memory (VmRSS) of a service's processes, from Linux's /proc; 0 where there is no /proc.</summary>
public static class ResidentMemory
{
    public static long Of(string service)
    {
        long total = 0;
        if (!Directory.Exists("/proc"))
        {
            return 0;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out _))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (!commandLine.Contains($"Ticketing.{service}.dll", StringComparison.Ordinal))
                {
                    continue;
                }

                var line = File.ReadLines(Path.Combine(directory, "status")).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                if (line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kilobytes))
                {
                    total += kilobytes * 1024;
                }
            }
            catch (IOException)
            {
                // the process ended meanwhile
            }
        }

        return total;
    }
}
