using System.Collections.Concurrent;
using System.Threading.Channels;
using Marten;
using Microsoft.Extensions.Options;
using Ticketing.Insights.Overview;

namespace Ticketing.Insights.Live;

/// <summary>
/// Watches the projections' progress in PostgreSQL (so every instance sees changes, whichever one runs the async
/// daemon) and, when they move, builds the overview once and hands it to every open stream. A change reaches the
/// streams one poll interval after its projection committed; pushes are at most every 100 ms, and the
/// overview is rebuilt every few seconds anyway, since "stuck" depends on the clock. With no stream open, it is built
/// only every few seconds (for the sales gauges of <c>/metrics</c>): during a drop nobody watching costs nothing.
/// </summary>
public sealed partial class LiveOverviewFeed(
    IDocumentStore store,
    InsightsQueries queries,
    IOptions<InsightsOptions> options,
    Ticketing.Insights.Metrics.InsightsMetrics metrics,
    ILogger<LiveOverviewFeed> logger) : BackgroundService
{
    private static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, Channel<OverviewResponse>> subscribers = new();
    private readonly SemaphoreSlim subscribed = new(0);
    private long version = -1;

    /// <summary>The newest overview, null until the first one was built.</summary>
    public OverviewResponse? Latest { get; private set; }

    /// <summary>The projections' combined progress (sum of their last processed sequences).</summary>
    public long Version => Interlocked.Read(ref version);

    /// <summary>Overviews from now on (at most the newest one waits); dispose to stop.</summary>
    public Subscription Subscribe()
    {
        var subscription = new Subscription(this);
        subscribers[subscription.Id] = subscription.Channel;
        subscribed.Release(); // wakes the loop if it was waiting for someone to watch
        return subscription;
    }

    public sealed class Subscription(LiveOverviewFeed feed) : IDisposable
    {
        internal Guid Id { get; } = Guid.NewGuid();

        internal Channel<OverviewResponse> Channel { get; } =
            System.Threading.Channels.Channel.CreateBounded<OverviewResponse>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });

        /// <summary>The overview at the time of subscribing, if one was built yet.</summary>
        public OverviewResponse? Latest { get; } = feed.Latest;

        public ChannelReader<OverviewResponse> Updates => Channel.Reader;

        public void Dispose() => feed.subscribers.TryRemove(Id, out _);
    }

    public async Task<long> CurrentVersionAsync(CancellationToken cancellationToken)
    {
        var progress = await store.Advanced.AllProjectionProgress(token: cancellationToken);
        return progress.Where(shard => !shard.ShardName.StartsWith("HighWaterMark", StringComparison.Ordinal)).Sum(shard => shard.Sequence);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastPush = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var current = await CurrentVersionAsync(stoppingToken);
                var now = DateTimeOffset.UtcNow;
                if ((current != Version && !subscribers.IsEmpty) || now - lastPush >= Refresh)
                {
                    if (now - lastPush < MinimumGap)
                    {
                        await Task.Delay(MinimumGap - (now - lastPush), stoppingToken);
                        current = await CurrentVersionAsync(stoppingToken);
                    }

                    var overview = await queries.OverviewAsync(current, stoppingToken);
                    Interlocked.Exchange(ref version, current);
                    Latest = overview;
                    metrics.Overview = overview;
                    lastPush = DateTimeOffset.UtcNow;
                    foreach (var subscriber in subscribers.Values)
                    {
                        subscriber.Writer.TryWrite(overview);
                    }
                }

                await WaitForNextLookAsync(lastPush, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogFeedFailed(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>
    /// While a stream is open, the next look is one poll interval away. With none open, there is nothing to push: the
    /// loop sleeps until the next refresh or until a stream opens, instead of asking PostgreSQL 20 times a second.
    /// </summary>
    private async Task WaitForNextLookAsync(DateTimeOffset lastPush, CancellationToken stoppingToken)
    {
        while (subscribed.CurrentCount > 0)
        {
            await subscribed.WaitAsync(stoppingToken); // streams opened since the last look are seen by this one
        }

        if (!subscribers.IsEmpty)
        {
            await Task.Delay(options.Value.LivePollInterval, stoppingToken);
            return;
        }

        var untilRefresh = lastPush + Refresh - DateTimeOffset.UtcNow;
        if (untilRefresh > TimeSpan.Zero)
        {
            await subscribed.WaitAsync(untilRefresh, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Building the live overview failed; retrying")]
    private static partial void LogFeedFailed(ILogger logger, Exception exception);
}
