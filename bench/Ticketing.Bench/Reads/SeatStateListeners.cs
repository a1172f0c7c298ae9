using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Ticketing.Bench.Api;

namespace Ticketing.Bench.Reads;

/// <summary>A seat whose hold is being timed: its section, its index in the section, and when the hold was answered 201.</summary>
/// <summary>A probe hold of one seat, timed from <paramref name="SentAt"/>, when its request left.</summary>
internal sealed record Probe(int Number, string Section, int Index, long SentAt);

/// <summary>The <c>delta</c> event of the seat-state stream: the seats that changed from version <c>From</c> to <c>Version</c>.</summary>
internal sealed record SeatStateDeltaView(long From, long Version, bool SalesStopped, IReadOnlyList<SectionChangesView> Changes);

/// <summary>Seats of one section that changed: seat <c>At[i]</c> (index in the section) is now <c>Seats[i]</c>.</summary>
internal sealed record SectionChangesView(string Section, IReadOnlyList<int> At, string Seats);

/// <summary>
/// Many listeners of one concert's seat-state stream (server-sent events), each on its own HTTP/1.1 connection as a
/// browser's <c>EventSource</c>: the first <see cref="ThroughGateway"/> through the gateway, the others at
/// <c>direct</c> (a Tickets instance). Each follows the versions (a <c>delta</c> must start from the version the
/// listener has) and notes when it first sees the current <see cref="Probe"/>'s seat held.
/// </summary>
internal sealed class SeatStateListeners : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = int.MaxValue,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> listening = [];
    private readonly Uri throughGateway;
    private readonly Uri direct;
    private readonly long[][] heardAt;
    private readonly long[] versions;
    private volatile Probe? probe;
    private int connected;
    private int failed;
    private int dropped;
    private int gaps;
    private string? firstFailure;

    /// <param name="stream">The stream's path, under the gateway and under <paramref name="direct"/>.</param>
    public SeatStateListeners(Uri gateway, Uri direct, string stream, int count, int throughGatewayCount, int probes)
    {
        throughGateway = new Uri(gateway, stream);
        this.direct = new Uri(direct, stream);
        Count = count;
        ThroughGateway = throughGatewayCount;
        heardAt = Enumerable.Range(0, probes).Select(_ => new long[count]).ToArray();
        versions = new long[count];
    }

    public int Count { get; }

    /// <summary>Listeners 0 to this - 1 listen through the gateway, the rest directly.</summary>
    public int ThroughGateway { get; }

    /// <summary>Listeners that got their first snapshot.</summary>
    public int Connected => Volatile.Read(ref connected);

    /// <summary>Listeners that got no snapshot: refused, or no connection.</summary>
    public int Failed => Volatile.Read(ref failed);

    /// <summary>Streams that ended after their snapshot, before the benchmark closed them.</summary>
    public int Dropped => Volatile.Read(ref dropped);

    /// <summary>Deltas that did not start from the version their listener had (an event missed).</summary>
    public int Gaps => Volatile.Read(ref gaps);

    public string? FirstFailure => Volatile.Read(ref firstFailure);

    /// <summary>Opens the streams, <paramref name="perSecond"/> a second, and waits until each has its snapshot or failed.</summary>
    public async Task ConnectAsync(int perSecond, TimeSpan timeout, CancellationToken cancellationToken)
    {
        const int batchesPerSecond = 10;
        var batch = Math.Max(1, perSecond / batchesPerSecond);
        for (var first = 0; first < Count; first += batch)
        {
            for (var listener = first; listener < Math.Min(Count, first + batch); listener++)
            {
                var index = listener;
                listening.Add(Task.Run(() => ListenAsync(index), CancellationToken.None));
            }

            await Task.Delay(TimeSpan.FromSeconds(1.0 / batchesPerSecond), cancellationToken);
        }

        var start = Stopwatch.GetTimestamp();
        while (Connected + Failed < Count && Stopwatch.GetElapsedTime(start) < timeout)
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>
    /// Starts watching for <paramref name="next"/>'s seat held. Called before the hold is sent: the feed pushes on
    /// commit, so a listener can see the seat held before the hold's answer is back.
    /// </summary>
    public void Expect(Probe next) => probe = next;

    /// <summary>
    /// When every connected listener has seen the expected probe's seat held, or <paramref name="timeout"/> after its
    /// request was sent, returns each listener that saw it with the milliseconds from the request sent.
    /// </summary>
    public async Task<IReadOnlyList<(int Listener, double Milliseconds)>> TimeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var current = probe ?? throw new InvalidOperationException("Expect a probe before timing it.");
        var heard = heardAt[current.Number];
        while (heard.Count(at => at != 0) < Connected && Stopwatch.GetElapsedTime(current.SentAt) < timeout)
        {
            await Task.Delay(50, cancellationToken);
        }

        return heard.Select((at, listener) => (Listener: listener, At: at)).Where(entry => entry.At != 0)
            .Select(entry => (entry.Listener, Stopwatch.GetElapsedTime(current.SentAt, entry.At).TotalMilliseconds)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(listening).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // the sockets close with the client below
        }

        http.Dispose();
        stop.Dispose();
    }

    private async Task ListenAsync(int listener)
    {
        var snapshotSeen = false;
        try
        {
            using var response = await http.GetAsync(listener < ThroughGateway ? throughGateway : direct, HttpCompletionOption.ResponseHeadersRead, stop.Token);
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            {
                Fail($"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
                return;
            }

            await using var body = await response.Content.ReadAsStreamAsync(stop.Token);
            await foreach (var item in SseParser.Create(body, Parse).EnumerateAsync(stop.Token))
            {
                var at = Stopwatch.GetTimestamp();
                if (item.Data is SeatStateView snapshot)
                {
                    versions[listener] = snapshot.Version;
                    if (!snapshotSeen)
                    {
                        snapshotSeen = true;
                        Interlocked.Increment(ref connected);
                    }
                }
                else if (item.Data is SeatStateDeltaView delta)
                {
                    if (delta.From != versions[listener])
                    {
                        Interlocked.Increment(ref gaps);
                    }

                    versions[listener] = delta.Version;
                }

                if (probe is { } current && heardAt[current.Number][listener] == 0 && Shows(item.Data, current))
                {
                    heardAt[current.Number][listener] = at;
                }
            }

            if (snapshotSeen)
            {
                Interlocked.Increment(ref dropped);
            }
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // closed by the benchmark
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or JsonException)
        {
            if (snapshotSeen)
            {
                Interlocked.Increment(ref dropped);
                Interlocked.CompareExchange(ref firstFailure, exception.Message, null);
            }
            else
            {
                Fail(exception.Message);
            }
        }
    }

    private void Fail(string why)
    {
        Interlocked.Increment(ref failed);
        Interlocked.CompareExchange(ref firstFailure, why, null);
    }

    /// <summary>A <c>snapshot</c> as a <see cref="SeatStateView"/>, a <c>delta</c> as a <see cref="SeatStateDeltaView"/>, anything else (heartbeat) as null.</summary>
    private static object? Parse(string eventType, ReadOnlySpan<byte> data) => eventType switch
    {
        "snapshot" => JsonSerializer.Deserialize<SeatStateView>(data, Json),
        "delta" => JsonSerializer.Deserialize<SeatStateDeltaView>(data, Json),
        _ => null,
    };

    /// <summary>Whether the event shows the probe's seat held.</summary>
    private static bool Shows(object? data, Probe probe) => data switch
    {
        SeatStateView snapshot => snapshot.Sections.Any(section => section.Code == probe.Section && section.Seats[probe.Index] == 'h'),
        SeatStateDeltaView delta => delta.Changes.Any(change => change.Section == probe.Section
            && change.At.Select((at, i) => at == probe.Index && change.Seats[i] == 'h').Any(shown => shown)),
        _ => false,
    };
}
