using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Ticketing.Bench.Reads;

/// <summary>A seat whose hold is being timed: its section and index in the section, and when the hold was answered 201.</summary>
public sealed record Probe(int Number, string Section, int Index, long HeldAt);

/// <summary>
/// Many SSE listeners of one concert's seat state through the gateway, each on its own connection (HTTP/1.1, as a
/// browser's EventSource). Each notes when it first sees the current <see cref="Probe"/>'s seat held, from a
/// <c>delta</c> or a <c>snapshot</c>.
/// </summary>
public sealed class SeatStateListeners : IAsyncDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = int.MaxValue,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> listening = [];
    private readonly int count;
    private readonly long[][] heardAt;
    private volatile Probe? probe;
    private int connected;
    private int failed;
    private string? firstFailure;

    public SeatStateListeners(int count, int probes)
    {
        this.count = count;
        heardAt = Enumerable.Range(0, probes).Select(_ => new long[count]).ToArray();
    }

    /// <summary>Listeners that got their first snapshot.</summary>
    public int Connected => Volatile.Read(ref connected);

    public int Failed => Volatile.Read(ref failed);

    public string? FirstFailure => firstFailure;

    /// <summary>Opens the streams, <paramref name="perSecond"/> a second, and waits until each has its snapshot (or failed).</summary>
    public async Task ConnectAsync(Uri stream, int perSecond, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var batch = Math.Max(1, perSecond / 10);
        for (var i = 0; i < count; i += batch)
        {
            for (var j = i; j < Math.Min(count, i + batch); j++)
            {
                var listener = j;
                listening.Add(Task.Run(() => ListenAsync(listener, stream), CancellationToken.None));
            }

            await Task.Delay(100, cancellationToken);
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Connected + Failed < count && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Starts timing a probe; returns when every connected listener heard it or <paramref name="timeout"/> passed.</summary>
    public async Task<double[]> TimeAsync(Probe next, TimeSpan timeout, CancellationToken cancellationToken)
    {
        probe = next;
        var heard = heardAt[next.Number];
        var deadline = next.HeldAt + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (heard.Count(at => at != 0) < Connected && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(50, cancellationToken);
        }

        return heard.Where(at => at != 0).Select(at => Stopwatch.GetElapsedTime(next.HeldAt, at).TotalMilliseconds).ToArray();
    }

    private async Task ListenAsync(int listener, Uri stream)
    {
        var snapshotSeen = false;
        try
        {
            using var response = await http.GetAsync(stream, HttpCompletionOption.ResponseHeadersRead, stop.Token);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(stop.Token);
            await foreach (var item in SseParser.Create(body).EnumerateAsync(stop.Token))
            {
                if (!snapshotSeen && item.EventType == "snapshot")
                {
                    snapshotSeen = true;
                    Interlocked.Increment(ref connected);
                }

                if (probe is { } current && heardAt[current.Number][listener] == 0 && Shows(item, current))
                {
                    heardAt[current.Number][listener] = Stopwatch.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            if (!snapshotSeen)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstFailure, exception.Message, null);
            }
        }
    }

    /// <summary>Whether the event shows the probe's seat held.</summary>
    private static bool Shows(SseItem<string> item, Probe probe)
    {
        if (item.EventType is not ("delta" or "snapshot"))
        {
            return false;
        }

        using var document = JsonDocument.Parse(item.Data);
        if (item.EventType == "snapshot")
        {
            return document.RootElement.GetProperty("sections").EnumerateArray()
                .Any(section => section.GetProperty("code").GetString() == probe.Section && section.GetProperty("seats").GetString()![probe.Index] == 'h');
        }

        foreach (var change in document.RootElement.GetProperty("changes").EnumerateArray())
        {
            if (change.GetProperty("section").GetString() != probe.Section)
            {
                continue;
            }

            var seats = change.GetProperty("seats").GetString()!;
            var i = 0;
            foreach (var at in change.GetProperty("at").EnumerateArray())
            {
                if (at.GetInt32() == probe.Index && seats[i] == 'h')
                {
                    return true;
                }

                i++;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(listening).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        http.Dispose();
        stop.Dispose();
    }
}
