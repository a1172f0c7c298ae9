using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// A queue as the management API reports it. Counts and rates are the broker's statistics, refreshed every
/// few seconds (<c>collect_statistics_interval</c>, 5 s by default); rates are per second over that window.
/// </summary>
public sealed record QueueStats(
    string Name,
    long Messages,
    long Ready,
    long Unacknowledged,
    int Consumers,
    int? ConsumerPrefetch,
    double PublishRate,
    double DeliverRate,
    double AckRate)
{
    public bool IsIdle => Messages == 0 && Unacknowledged == 0;
}

/// <summary>
/// Cumulative message counters: messages published into the virtual host, and deliveries to consumers
/// (<c>deliver_get</c>) per queue. The difference of two readings counts a phase's messages; the broker refreshes
/// them every statistics interval (5 s by default), so read the second one that long after the phase.
/// </summary>
public sealed record MessageCounters(long Published, IReadOnlyDictionary<string, long> DeliveredByQueue)
{
    public static readonly TimeSpan RefreshDelay = TimeSpan.FromSeconds(6);

    public long Delivered => DeliveredByQueue.Values.Sum();

    public static MessageCounters operator -(MessageCounters after, MessageCounters before) => new(
        after.Published - before.Published,
        after.DeliveredByQueue.ToDictionary(queue => queue.Key, queue => queue.Value - before.DeliveredByQueue.GetValueOrDefault(queue.Key)));
}

/// <summary>The few calls of RabbitMQ's HTTP management API the benchmarks use.</summary>
public sealed class RabbitMqManagement : IDisposable
{
    private readonly HttpClient http;
    private readonly string virtualHost;

    public RabbitMqManagement(Uri managementUri, string virtualHost)
    {
        this.virtualHost = virtualHost;
        http = new HttpClient
        {
            BaseAddress = new Uri(managementUri.GetLeftPart(UriPartial.Authority) + "/"),
            Timeout = TimeSpan.FromSeconds(10),
        };
        var userInfo = managementUri.UserInfo.Length > 0 ? Uri.UnescapeDataString(managementUri.UserInfo) : "guest:guest";
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
    }

    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        using var overview = JsonDocument.Parse(await http.GetStringAsync("api/overview", cancellationToken));
        return overview.RootElement.GetProperty("rabbitmq_version").GetString() ?? "unknown";
    }

    /// <summary>The queue's statistics, or null when the queue does not exist.</summary>
    public async Task<QueueStats?> QueueAsync(string queue, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"api/queues/{Uri.EscapeDataString(virtualHost)}/{Uri.EscapeDataString(queue)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = document.RootElement;
        var stats = root.TryGetProperty("message_stats", out var messageStats) ? messageStats : default;
        int? prefetch = root.TryGetProperty("consumer_details", out var consumers) && consumers.GetArrayLength() > 0
            ? consumers[0].GetProperty("prefetch_count").GetInt32()
            : null;
        return new QueueStats(
            queue,
            Long(root, "messages"),
            Long(root, "messages_ready"),
            Long(root, "messages_unacknowledged"),
            (int)Long(root, "consumers"),
            prefetch,
            Rate(stats, "publish_details"),
            Rate(stats, "deliver_get_details"),
            Rate(stats, "ack_details"));
    }

    /// <summary>The virtual host's messages published and each queue's deliveries, since the broker started.</summary>
    public async Task<MessageCounters> CountersAsync(CancellationToken cancellationToken)
    {
        using var vhost = JsonDocument.Parse(await http.GetStringAsync($"api/vhosts/{Uri.EscapeDataString(virtualHost)}", cancellationToken));
        var published = vhost.RootElement.TryGetProperty("message_stats", out var stats) ? Long(stats, "publish") : 0;
        using var queues = JsonDocument.Parse(await http.GetStringAsync($"api/queues/{Uri.EscapeDataString(virtualHost)}", cancellationToken));
        var delivered = queues.RootElement.EnumerateArray().ToDictionary(
            queue => queue.GetProperty("name").GetString() ?? "",
            queue => queue.TryGetProperty("message_stats", out var queueStats) ? Long(queueStats, "deliver_get") : 0,
            StringComparer.Ordinal);
        return new MessageCounters(published, delivered);
    }

    /// <summary>Every <c>*_error</c> queue of the virtual host (where MassTransit moves failed messages) with its depth.</summary>
    public async Task<IReadOnlyDictionary<string, long>> ErrorQueuesAsync(CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(
            await http.GetStringAsync($"api/queues/{Uri.EscapeDataString(virtualHost)}?columns=name,messages", cancellationToken));
        return document.RootElement.EnumerateArray()
            .Select(queue => (Name: queue.GetProperty("name").GetString() ?? "", Messages: Long(queue, "messages")))
            .Where(queue => queue.Name.EndsWith("_error", StringComparison.Ordinal))
            .ToDictionary(queue => queue.Name, queue => queue.Messages, StringComparer.Ordinal);
    }

    /// <summary>
    /// Waits until no queue of the virtual host but the error queues holds a message, ready or unacknowledged, in
    /// two readings in a row one second apart: the work of an earlier phase is done. Throws
    /// <see cref="TimeoutException"/> after <paramref name="timeout"/> (5 minutes unless given).
    /// </summary>
    public async Task WaitUntilQuietAsync(CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(5));
        var quietReadings = 0;
        var busy = new List<string>();
        while (DateTime.UtcNow < deadline)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync(
                $"api/queues/{Uri.EscapeDataString(virtualHost)}?columns=name,messages,messages_unacknowledged", cancellationToken));
            busy = document.RootElement.EnumerateArray()
                .Where(queue => Long(queue, "messages") + Long(queue, "messages_unacknowledged") > 0)
                .Select(queue => queue.GetProperty("name").GetString() ?? "")
                .Where(name => !name.EndsWith("_error", StringComparison.Ordinal) && !name.EndsWith("_skipped", StringComparison.Ordinal))
                .ToList();
            quietReadings = busy.Count == 0 ? quietReadings + 1 : 0;
            if (quietReadings == 2)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        throw new TimeoutException($"The broker's queues did not empty in time: {string.Join(", ", busy)}.");
    }

    public void Dispose() => http.Dispose();

    private static long Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private static double Rate(JsonElement stats, string name) =>
        stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty(name, out var details) && details.TryGetProperty("rate", out var rate)
            ? rate.GetDouble()
            : 0;
}
