using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Ticketing.Contracts.Queue;
using Ticketing.ServiceDefaults.Http;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Ticketing.Gateway.WaitingRoom;

/// <summary><c>Gateway:QueueEdge</c>: answering waiting fans' places at the gateway.</summary>
public sealed class QueueEdgeOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The YARP route of <c>GET /api/queue/{dropId}/entries/mine</c>.</summary>
    public string Route { get; set; } = "queue-mine";

    /// <summary>The YARP cluster of the Queue service.</summary>
    public string Cluster { get; set; } = "queue";

    /// <summary>A board older than this is not used: the read goes to the Queue.</summary>
    public TimeSpan BoardMaxAge { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A board older than this is fetched again (in the background, one fetch per drop at a time).</summary>
    public TimeSpan BoardRefreshAfter { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Places this instance keeps at most (about 100 bytes each), in two generations: past it, the places not read for a
    /// generation are forgotten (see <see cref="QueuePlaces"/>).
    /// </summary>
    public int MaxPlaces { get; set; } = 1_000_000;
}

/// <summary>
/// Answers a waiting fan's <c>GET /api/queue/{dropId}/entries/mine</c> at the gateway, without a call to the Queue:
/// on drop day that read is most of the traffic (every waiting fan's app asks every few seconds), and the proxy hop
/// costs more than the answer. The answer is the Queue's own rule (<see cref="QueueBoard.Answer"/>, shared with the
/// Queue's view) applied to two things the Queue told this gateway:
/// <list type="bullet">
/// <item>the fan's place in the general room (<see cref="QueuePlace"/>: entry id, queue index, join time), from the
/// <c>X-Queue-Place</c> header of the fan's last join or place answer that passed through (the header is removed);</item>
/// <item>the drop's board (<see cref="QueueBoard"/>: paused, sold out, closed, the rate, the room's admission cursor),
/// read from a Queue instance at most every <see cref="QueueEdgeOptions.BoardRefreshAfter"/> while fans read, and used
/// only while younger than <see cref="QueueEdgeOptions.BoardMaxAge"/>.</item>
/// </list>
/// Everything else goes to the Queue as before: a fan whose place this instance has not seen, a presale place, an
/// admitted or passed-over fan (the pass is the Queue's to sign), a place learned before the draw once the room is
/// drawn, and any read while the board is missing or stale. So a fan sees what the Queue would have answered up to a
/// board's age ago: an admission shows on the next read after it at most <see cref="QueueEdgeOptions.BoardMaxAge"/>
/// late, and the first read after it gets the pass from the Queue. The JWT check and the rate limits apply as before:
/// this step runs in YARP's pipeline, after them.
/// </summary>
public static class QueueEdgeAnswers
{
    public static IHostApplicationBuilder AddQueueEdgeAnswers(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<QueueEdgeOptions>(builder.Configuration.GetSection("Gateway:QueueEdge"));
        builder.Services.AddSingleton<QueuePlaces>();
        builder.Services.AddSingleton<QueueBoards>();
        builder.Services.AddHttpClient(QueueBoards.ClientName, client => client.Timeout = TimeSpan.FromSeconds(2));
        return builder;
    }

    /// <summary>YARP transform: learns places from the Queue's answers and removes the header.</summary>
    public static void CapturePlaces(TransformBuilderContext context)
    {
        var options = context.Services.GetRequiredService<IOptions<QueueEdgeOptions>>().Value;
        if (context.Cluster?.ClusterId != options.Cluster)
        {
            return;
        }

        var places = context.Services.GetRequiredService<QueuePlaces>();
        context.AddResponseTransform(transform =>
        {
            var http = transform.HttpContext;
            if (http.Response.Headers.Remove(QueuePlace.HeaderName, out var header)
                && transform.ProxyResponse is { IsSuccessStatusCode: true }
                && QueuePlace.TryParse(header, out var place)
                && DropOf(http) is { } dropId
                && FanIdentity.FanId(http) is { } fanId)
            {
                places.Remember(dropId, fanId, place);
            }

            return ValueTask.CompletedTask;
        });
    }

    /// <summary>The proxy pipeline's first step: answers a waiting fan's place here when it can.</summary>
    public static IReverseProxyApplicationBuilder UseQueueEdgeAnswers(this IReverseProxyApplicationBuilder pipeline)
    {
        var services = pipeline.ApplicationServices;
        var options = services.GetRequiredService<IOptions<QueueEdgeOptions>>().Value;
        var places = services.GetRequiredService<QueuePlaces>();
        var boards = services.GetRequiredService<QueueBoards>();
        // The answer is small: written in one piece with its length (no chunked framing), by the serializer options
        // every service answers with, so it is byte for byte what the Queue would have sent.
        var json = (JsonTypeInfo<EntryResponse>)services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions.GetTypeInfo(typeof(EntryResponse));
        var answered = services.GetRequiredService<IMeterFactory>().Create("Ticketing.Gateway")
            .CreateCounter<long>("ticketing.gateway.queue.places_read", "{read}", "Fans' place reads, by who answered: the gateway (edge) or the Queue (proxied).");
        pipeline.Use(async (context, next) =>
        {
            if (options.Enabled && context.GetReverseProxyFeature().Route.Config.RouteId == options.Route)
            {
                if (DropOf(context) is { } dropId
                    && FanIdentity.FanId(context) is { } fanId
                    && places.Find(dropId, fanId) is { } place
                    && boards.Fresh(dropId)?.Answer(place) is { } answer)
                {
                    answered.Add(1, new KeyValuePair<string, object?>("answered.by", "edge"));
                    var body = JsonSerializer.SerializeToUtf8Bytes(answer, json);
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.ContentType = "application/json; charset=utf-8";
                    context.Response.ContentLength = body.Length;
                    await context.Response.Body.WriteAsync(body, context.RequestAborted);
                    return;
                }

                answered.Add(1, new KeyValuePair<string, object?>("answered.by", "queue"));
            }

            await next();
        });
        return pipeline;
    }

    private static Guid? DropOf(HttpContext context) =>
        context.Request.RouteValues.TryGetValue("dropId", out var value) && Guid.TryParse(value as string, out var dropId) ? dropId : null;
}

/// <summary>
/// Fans' general-room places, as the Queue's answers told this gateway instance, in two generations of at most half of
/// <see cref="QueueEdgeOptions.MaxPlaces"/> each: when the newer one is full it becomes the older and the older is
/// dropped. A place found in the older generation moves to the newer, so the fans still reading keep their edge answers
/// through any number of turns; only places nobody read for a whole generation are forgotten (their fan's next read goes
/// to the Queue, which tells this instance again).
/// </summary>
public sealed class QueuePlaces(IOptions<QueueEdgeOptions> options)
{
    private readonly Lock turning = new();
    private ConcurrentDictionary<(Guid DropId, string FanId), QueuePlace> current = new();
    private ConcurrentDictionary<(Guid DropId, string FanId), QueuePlace> previous = new();
    private int count;

    /// <summary>How many places one generation holds before it turns older.</summary>
    private int GenerationSize => Math.Max(1, options.Value.MaxPlaces / 2);

    /// <summary>How many places are remembered now (both generations).</summary>
    public int Remembered => Volatile.Read(ref current).Count + Volatile.Read(ref previous).Count;

    public void Remember(Guid dropId, string fanId, QueuePlace place) => Keep((dropId, fanId), place, replace: true);

    public QueuePlace? Find(Guid dropId, string fanId)
    {
        if (Volatile.Read(ref current).TryGetValue((dropId, fanId), out var place))
        {
            return place;
        }

        if (!Volatile.Read(ref previous).TryRemove((dropId, fanId), out place))
        {
            return null;
        }

        // A newer answer that reached the newer generation meanwhile wins over the one moved up from the older.
        return Keep((dropId, fanId), place, replace: false);
    }

    private QueuePlace Keep((Guid DropId, string FanId) key, QueuePlace place, bool replace)
    {
        var added = false;
        var kept = replace
            ? Volatile.Read(ref current).AddOrUpdate(key, _ => { added = true; return place; }, (_, _) => place)
            : Volatile.Read(ref current).GetOrAdd(key, _ => { added = true; return place; });
        if (added && Interlocked.Increment(ref count) > GenerationSize)
        {
            Turn();
        }

        return kept;
    }

    private void Turn()
    {
        lock (turning)
        {
            if (Volatile.Read(ref count) <= GenerationSize)
            {
                return; // another thread turned the generations first
            }

            Volatile.Write(ref previous, current);
            Volatile.Write(ref current, new ConcurrentDictionary<(Guid, string), QueuePlace>());
            Volatile.Write(ref count, 0);
        }
    }
}

/// <summary>
/// Each read drop's <see cref="QueueBoard"/>, fetched from one Queue instance (the same one for a drop while it is
/// healthy, so the admission cursor does not step back and forth between instances) when a fan's read finds it older
/// than <see cref="QueueEdgeOptions.BoardRefreshAfter"/>; never fetched for a drop nobody reads.
/// </summary>
public sealed class QueueBoards(
    IHttpClientFactory clients, IProxyStateLookup proxy, IOptions<QueueEdgeOptions> options, TimeProvider time, ILogger<QueueBoards> logger)
{
    public const string ClientName = "queue-board";

    private readonly ConcurrentDictionary<Guid, Slot> slots = new();

    /// <summary>The drop's board if it is young enough to answer from; starts a fetch when it is due.</summary>
    public QueueBoard? Fresh(Guid dropId)
    {
        var slot = slots.GetOrAdd(dropId, static _ => new Slot());
        var fetched = Volatile.Read(ref slot.Current);
        var age = fetched is null ? TimeSpan.MaxValue : time.GetElapsedTime(fetched.At);
        if (age > options.Value.BoardRefreshAfter && Interlocked.CompareExchange(ref slot.Fetching, 1, 0) == 0)
        {
            // Not part of the fan's request (nor of its trace): the fetch runs on its own.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => FetchAsync(dropId, slot));
            }
        }

        return age <= options.Value.BoardMaxAge ? fetched?.Board : null;
    }

    private async Task FetchAsync(Guid dropId, Slot slot)
    {
        try
        {
            if (!proxy.TryGetCluster(options.Value.Cluster, out var cluster) || cluster.DestinationsState.AvailableDestinations is not { Count: > 0 } destinations)
            {
                return;
            }

            var destination = destinations.OrderBy(candidate => candidate.DestinationId, StringComparer.Ordinal)
                .ElementAt((int)((uint)dropId.GetHashCode() % (uint)destinations.Count));
            var address = new Uri(new Uri(destination.Model.Config.Address), $"internal/queue/{dropId}/board");
            var board = await clients.CreateClient(ClientName).GetFromJsonAsync<QueueBoard>(address, System.Text.Json.JsonSerializerOptions.Web);
            if (board is not null)
            {
                Volatile.Write(ref slot.Current, new Fetched(board, time.GetTimestamp()));
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            logger.LogDebug(exception, "The board of drop {DropId} could not be read; its places are read from the Queue meanwhile", dropId);
        }
        finally
        {
            Volatile.Write(ref slot.Fetching, 0);
        }
    }

    /// <summary>A drop's last board and when it came (a <see cref="TimeProvider"/> timestamp).</summary>
    private sealed record Fetched(QueueBoard Board, long At);

    private sealed class Slot
    {
        public int Fetching;
        public Fetched? Current;
    }
}
