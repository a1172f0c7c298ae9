using System.Collections.Concurrent;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.SeatState;

/// <summary><c>Tickets:SeatState</c>: how fresh the public seat state is and how often it is pushed.</summary>
public sealed class SeatStateOptions
{
    /// <summary>
    /// A read older than this is read again from the source (once, however many wait for it). The seat ledgers' source
    /// answers from memory and makes a new state only when the ledger moved, so by default every read asks it.
    /// </summary>
    public TimeSpan Freshness { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// While anyone listens, the source is read this often (for what other instances changed); this instance's own
    /// commits wake the feed at once.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>At most one push per this interval to each listener; changes in between go out together.</summary>
    public TimeSpan MinimumPushGap { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A quiet stream gets a heartbeat this often, so proxies keep it open.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// The public seat state of every concert this instance serves: read from an <see cref="ISeatStatusSource"/> at most
/// every <see cref="SeatStateOptions.Freshness"/> however many fans read it, and pushed to the listeners of a concert as
/// small deltas, at most once a second, while anyone listens. Reads never decide anything: holds read their own state.
/// </summary>
public sealed partial class SeatStateFeed(
    SeatLedgers ledgers,
    ISeatStatusSource source,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    IOptions<SeatStateOptions> options,
    TimeProvider time,
    ILogger<SeatStateFeed> logger) : IDisposable
{
    private readonly ConcurrentDictionary<Guid, ConcertSeatFeed> concerts = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly SeatLedgers ledgers = ledgers;
    private readonly ISeatStatusSource source = source;
    private readonly IOptions<SeatStateOptions> options = options;
    private readonly TimeProvider time = time;
    private readonly ILogger<SeatStateFeed> logger = logger;

    internal JsonSerializerOptions Json => json.Value.SerializerOptions;

    /// <summary>The concert's layout; null when this instance has no inventory for it.</summary>
    public async Task<SeatLayout?> LayoutAsync(Guid concertId, CancellationToken cancellationToken) =>
        (await FeedAsync(concertId, cancellationToken))?.Layout;

    /// <summary>The concert's seat state, at most <see cref="SeatStateOptions.Freshness"/> old; null when unknown here.</summary>
    public async Task<SeatStateSnapshot?> CurrentAsync(Guid concertId, CancellationToken cancellationToken) =>
        await FeedAsync(concertId, cancellationToken) is { } feed ? await feed.CurrentAsync(cancellationToken) : null;

    /// <summary>Starts listening to a concert: a snapshot first, then deltas; null when unknown here.</summary>
    public async Task<SeatStateSubscription?> SubscribeAsync(Guid concertId, CancellationToken cancellationToken) =>
        await FeedAsync(concertId, cancellationToken) is { } feed ? await feed.SubscribeAsync(cancellationToken) : null;

    /// <summary>How many listen to the concert on this instance.</summary>
    public int Listeners(Guid concertId) => concerts.TryGetValue(concertId, out var feed) ? feed.Listeners : 0;

    /// <summary>
    /// Drops the concert's feed (its layout and last state) when nobody listens to it; the next read builds it again.
    /// A feed that still has listeners stays, reading its source as before.
    /// </summary>
    public void Forget(Guid concertId)
    {
        if (concerts.TryGetValue(concertId, out var feed) && feed.Listeners == 0)
        {
            concerts.TryRemove(KeyValuePair.Create(concertId, feed));
        }
    }

    /// <summary>
    /// Stops every concert's push loop. The token source is cancelled, not disposed: a loop that is between two reads
    /// when the service stops still reads its token, and must find it cancelled rather than disposed.
    /// </summary>
    public void Dispose() => stopping.Cancel();

    private async Task<ConcertSeatFeed?> FeedAsync(Guid concertId, CancellationToken cancellationToken)
    {
        if (concerts.TryGetValue(concertId, out var feed))
        {
            return feed;
        }

        if (await ledgers.GetAsync(concertId, cancellationToken) is not { } ledger)
        {
            return null;
        }

        var created = new ConcertSeatFeed(this, SeatLayout.From(ledger.Inventory, Json));
        var winner = concerts.GetOrAdd(concertId, created);
        if (ReferenceEquals(winner, created))
        {
            // A commit of this instance is pushed without waiting for the next poll.
            ledger.Changed += _ => created.Wake();
        }

        return winner;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the seat state of concert {ConcertId} failed; listeners keep the last state")]
    private static partial void LogReadFailed(ILogger logger, Guid concertId, Exception exception);

    /// <summary>One concert: its newest state, the state last pushed, and its listeners.</summary>
    private sealed class ConcertSeatFeed(SeatStateFeed owner, SeatLayout layout) : ISeatStateListeners
    {
        private static readonly byte[] HeartbeatData = "{}"u8.ToArray();

        private readonly Lock gate = new();
        private readonly ConcurrentDictionary<SeatStateSubscription, byte> listeners = new();
        private SeatStateSnapshot? current;
        private Task<SeatStateSnapshot?>? reading;
        private SeatStateSnapshot? pushed;
        private SseItem<byte[]>? pushedSnapshot;
        private bool pushing;
        private TaskCompletionSource changed = NewSignal();

        public SeatLayout Layout => layout;

        public int Listeners => listeners.Count;

        private SeatStateOptions Options => owner.options.Value;

        public Task<SeatStateSnapshot?> CurrentAsync(CancellationToken cancellationToken)
        {
            var latest = Volatile.Read(ref current);
            return latest is not null && owner.time.GetUtcNow() - latest.ReadAt < Options.Freshness
                ? Task.FromResult<SeatStateSnapshot?>(latest)
                : ReadAsync().WaitAsync(cancellationToken);
        }

        public async Task<SeatStateSubscription?> SubscribeAsync(CancellationToken cancellationToken)
        {
            if (await CurrentAsync(cancellationToken) is not { } latest)
            {
                return null;
            }

            lock (gate)
            {
                // A new listener starts from the state last pushed, so the next delta applies to it exactly.
                pushed ??= latest;
                var subscription = new SeatStateSubscription(this, SnapshotEvent());
                listeners[subscription] = 0;
                if (!pushing)
                {
                    pushing = true;
                    _ = Task.Run(PushAsync);
                }

                return subscription;
            }
        }

        public void Remove(SeatStateSubscription subscription) => listeners.TryRemove(subscription, out _);

        /// <summary>The seats changed on this instance: the push loop reads them now instead of at its next poll.</summary>
        public void Wake() => Volatile.Read(ref changed).TrySetResult();

        /// <summary>The state last pushed, as a snapshot event (a listener that fell behind starts again from it).</summary>
        public SseItem<byte[]> SnapshotEvent()
        {
            lock (gate)
            {
                return pushedSnapshot ??= new SseItem<byte[]>(pushed!.Json(owner.Json), "snapshot") { EventId = Id(pushed.Version) };
            }
        }

        /// <summary>One read of the source at a time; every caller meanwhile gets the same answer.</summary>
        private Task<SeatStateSnapshot?> ReadAsync()
        {
            lock (gate)
            {
                if (reading is { IsCompleted: false })
                {
                    return reading;
                }

                return reading = ReadSourceAsync();
            }
        }

        private async Task<SeatStateSnapshot?> ReadSourceAsync()
        {
            var statuses = await owner.source.ReadAsync(layout, owner.stopping.Token);
            if (statuses is null)
            {
                return null;
            }

            var salesStopped = statuses.SalesStopped;
            var now = owner.time.GetUtcNow();
            var previous = Volatile.Read(ref current);
            if (previous is not null && (previous.Version > statuses.Version ||
                                         (previous.Version == statuses.Version && previous.SalesStopped == salesStopped)))
            {
                previous.ReadAt = now; // unchanged: the same object (and its JSON) serves on
                return previous;
            }

            var next = new SeatStateSnapshot(layout, statuses.Version, statuses.Codes, salesStopped, now);
            Volatile.Write(ref current, next);
            return next;
        }

        /// <summary>
        /// While anyone listens: read when this instance committed a change or a poll interval passed, and push what
        /// changed at most once per push gap (a change within the gap waits for its end, together with what follows it).
        /// </summary>
        private async Task PushAsync()
        {
            var lastPush = owner.time.GetUtcNow();
            var lastSent = lastPush;
            while (!owner.stopping.IsCancellationRequested)
            {
                try
                {
                    await ChangedOrPolledAsync();
                    var sincePush = owner.time.GetUtcNow() - lastPush;
                    if (sincePush < Options.MinimumPushGap)
                    {
                        await Task.Delay(Options.MinimumPushGap - sincePush, owner.time, owner.stopping.Token);
                    }

                    lock (gate)
                    {
                        if (listeners.IsEmpty)
                        {
                            pushing = false;
                            pushed = null;
                            pushedSnapshot = null;
                            return;
                        }
                    }

                    if (await ReadAsync() is not { } latest)
                    {
                        continue;
                    }

                    var now = owner.time.GetUtcNow();
                    lock (gate)
                    {
                        var last = pushed!;
                        if (!latest.SameAs(last) && latest.Version >= last.Version)
                        {
                            // Past an eighth of the venue a snapshot is smaller than the list of changes.
                            var item = latest.ChangedSeats(last) > layout.Capacity / 8
                                ? new SseItem<byte[]>(latest.Json(owner.Json), "snapshot") { EventId = Id(latest.Version) }
                                : new SseItem<byte[]>(JsonSerializer.SerializeToUtf8Bytes(latest.DeltaFrom(last), owner.Json), "delta") { EventId = Id(latest.Version) };
                            pushed = latest;
                            pushedSnapshot = item.EventType == "snapshot" ? item : null;
                            Offer(item);
                            lastPush = lastSent = now;
                        }
                        else if (now - lastSent >= Options.Heartbeat)
                        {
                            Offer(new SseItem<byte[]>(HeartbeatData, "heartbeat"));
                            lastSent = now;
                        }
                    }
                }
                catch (OperationCanceledException) when (owner.stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception)
                {
                    LogReadFailed(owner.logger, layout.ConcertId, exception);
                }
            }
        }

        private async Task ChangedOrPolledAsync()
        {
            var signal = Volatile.Read(ref changed);
            using var polled = CancellationTokenSource.CreateLinkedTokenSource(owner.stopping.Token);
            var poll = Task.Delay(Options.PollInterval, owner.time, polled.Token);
            await Task.WhenAny(signal.Task, poll);
            polled.Cancel();
            owner.stopping.Token.ThrowIfCancellationRequested();
            if (signal.Task.IsCompleted)
            {
                Interlocked.CompareExchange(ref changed, NewSignal(), signal);
            }
        }

        private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

        private void Offer(SseItem<byte[]> item)
        {
            foreach (var listener in listeners.Keys)
            {
                listener.Offer(item);
            }
        }

        private static string Id(long version) => version.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>What a subscription needs of its concert's feed.</summary>
internal interface ISeatStateListeners
{
    SseItem<byte[]> SnapshotEvent();

    void Remove(SeatStateSubscription subscription);
}

/// <summary>
/// One listener of a concert's seat state: a <c>snapshot</c> event first, then <c>delta</c> events (and a
/// <c>snapshot</c> instead when many seats changed), <c>heartbeat</c> when quiet. A listener too slow to take its
/// events gets a fresh snapshot instead of the ones it missed. Dispose to stop listening.
/// </summary>
public sealed class SeatStateSubscription : IDisposable
{
    private readonly ISeatStateListeners feed;
    private readonly SseItem<byte[]> first;
    private readonly Channel<SseItem<byte[]>> events = Channel.CreateBounded<SseItem<byte[]>>(
        new BoundedChannelOptions(4) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = true });
    private volatile bool missed;

    internal SeatStateSubscription(ISeatStateListeners feed, SseItem<byte[]> first)
    {
        this.feed = feed;
        this.first = first;
    }

    internal void Offer(SseItem<byte[]> item)
    {
        if (!events.Writer.TryWrite(item))
        {
            missed = true;
        }
    }

    /// <summary>The events of this listener until <paramref name="cancellationToken"/> (the request) ends.</summary>
    public async IAsyncEnumerable<SseItem<byte[]>> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return first;
        while (true)
        {
            bool more;
            try
            {
                more = await events.Reader.WaitToReadAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (!more)
            {
                yield break;
            }

            if (missed)
            {
                missed = false;
                while (events.Reader.TryRead(out _))
                {
                }

                yield return feed.SnapshotEvent();
                continue;
            }

            while (events.Reader.TryRead(out var item))
            {
                yield return item;
            }
        }
    }

    public void Dispose()
    {
        feed.Remove(this);
        events.Writer.TryComplete();
    }
}
