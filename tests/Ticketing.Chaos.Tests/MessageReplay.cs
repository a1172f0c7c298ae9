using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ticketing.Testing;

namespace Ticketing.Chaos.Tests;

/// <summary>
/// Every message the platform publishes on its virtual host, recorded by RabbitMQ's firehose (tracing on the virtual
/// host, the <c>publish.#</c> copies bound to a queue of the test's own), and published again on demand newest first,
/// with the original exchange, routing key, properties and body: each consumer then gets every message a second time,
/// in reverse order, behind or interleaved with the messages that came after it. Copies this class publishes carry a
/// header that keeps them out of the next replay. Only RabbitMQ's management API is used.
/// </summary>
internal sealed class MessageReplay : IDisposable
{
    private const string RecordingQueue = "chaos-firehose";
    private const string ReplayHeader = "x-chaos-replay";

    private readonly HttpClient http;
    private readonly string vhost;

    private MessageReplay(Uri management, string vhost)
    {
        http = new HttpClient { BaseAddress = new Uri(management.GetLeftPart(UriPartial.Authority) + "/"), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        this.vhost = Uri.EscapeDataString(vhost);
    }

    /// <summary>Per exchange (one per message type, or a consumer's queue for a message sent to it), the copies published again.</summary>
    public Dictionary<string, int> Replayed { get; } = [];

    public static async Task<MessageReplay> StartRecordingAsync(ServerEndpoints servers, string vhost)
    {
        var replay = new MessageReplay(servers.RabbitMqManagement, vhost);
        (await replay.http.PutAsJsonAsync($"api/vhosts/{replay.vhost}", new { tracing = true })).EnsureSuccessStatusCode();
        (await replay.http.PutAsJsonAsync($"api/queues/{replay.vhost}/{RecordingQueue}", new { durable = true, auto_delete = false }))
            .EnsureSuccessStatusCode();
        (await replay.http.PostAsJsonAsync($"api/bindings/{replay.vhost}/e/amq.rabbitmq.trace/q/{RecordingQueue}", new { routing_key = "publish.#" }))
            .EnsureSuccessStatusCode();
        return replay;
    }

    /// <summary>Takes every message recorded since the last replay and publishes it again, newest first; returns how many.</summary>
    public async Task<int> ReplayNewestFirstAsync()
    {
        var recorded = new List<JsonObject>();
        while (true)
        {
            using var response = await http.PostAsJsonAsync($"api/queues/{vhost}/{RecordingQueue}/get",
                new { count = 2_000, ackmode = "ack_requeue_false", encoding = "auto" });
            response.EnsureSuccessStatusCode();
            var page = (await response.Content.ReadFromJsonAsync<JsonArray>())!;
            if (page.Count == 0)
            {
                break;
            }

            recorded.AddRange(page.Select(message => message!.AsObject()));
        }

        var copies = recorded
            .Select(message => message["properties"]!["headers"]!.AsObject())
            .Select((trace, index) => (Trace: trace, Message: recorded[index]))
            .Where(copy => copy.Trace["properties"]?["headers"]?[ReplayHeader] is null)
            .Select(copy => (Exchange: copy.Trace["exchange_name"]!.GetValue<string>(), copy.Trace, copy.Message))
            .Where(copy => copy.Exchange.Length > 0 && !copy.Exchange.EndsWith("_error", StringComparison.Ordinal)
                && !copy.Exchange.EndsWith("_skipped", StringComparison.Ordinal))
            .Reverse()
            .ToList();

        foreach (var (exchange, trace, message) in copies)
        {
            var properties = trace["properties"]?.DeepClone().AsObject() ?? [];
            var headers = properties["headers"]?.AsObject() ?? [];
            headers[ReplayHeader] = 1;
            properties["headers"] = headers;
            var body = new JsonObject
            {
                ["properties"] = properties,
                ["routing_key"] = trace["routing_keys"]?.AsArray().FirstOrDefault()?.GetValue<string>() ?? "",
                ["payload"] = message["payload"]!.DeepClone(),
                ["payload_encoding"] = message["payload_encoding"]!.DeepClone(),
            };
            using var published = await http.PostAsJsonAsync($"api/exchanges/{vhost}/{Uri.EscapeDataString(exchange)}/publish", body);
            if (published.StatusCode == HttpStatusCode.NotFound)
            {
                continue; // an exchange that is gone (none of the platform's are deleted during a drop)
            }

            published.EnsureSuccessStatusCode();
            Replayed[exchange] = Replayed.GetValueOrDefault(exchange) + 1;
        }

        return copies.Count;
    }

    /// <summary>Waits until no consumer queue of the platform holds a message, ready or unacknowledged.</summary>
    /// <remarks>The management API's queue figures are sampled every few seconds, so the queues must look empty twice, 6 s apart.</remarks>
    public async Task DrainedAsync(TimeSpan timeout)
    {
        DateTime? emptySince = null;
        await Polling.UntilAsync(async () =>
        {
            var queues = (await http.GetFromJsonAsync<JsonArray>($"api/queues/{vhost}?columns=name,messages"))!;
            var empty = queues.All(queue => queue!["name"]!.GetValue<string>() is var name
                && (name == RecordingQueue || name.EndsWith("_error", StringComparison.Ordinal) || name.EndsWith("_skipped", StringComparison.Ordinal)
                    || (queue["messages"]?.GetValue<long>() ?? 0) == 0));
            emptySince = empty ? emptySince ?? DateTime.UtcNow : null;
            return emptySince is { } since && DateTime.UtcNow - since >= TimeSpan.FromSeconds(6);
        }, timeout);
    }

    /// <summary>Messages in the platform's <c>_error</c> queues, per queue (the ones consumers gave up on).</summary>
    public async Task<Dictionary<string, long>> DeadLetteredAsync()
    {
        var queues = (await http.GetFromJsonAsync<JsonArray>($"api/queues/{vhost}?columns=name,messages"))!;
        return queues.Where(queue => queue!["name"]!.GetValue<string>().EndsWith("_error", StringComparison.Ordinal))
            .ToDictionary(queue => queue!["name"]!.GetValue<string>(), queue => queue!["messages"]?.GetValue<long>() ?? 0);
    }

    public void Dispose() => http.Dispose();
}
