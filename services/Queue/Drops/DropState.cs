using Ticketing.Contracts.Queue;
using Ticketing.Queue.Admission;
using Ticketing.Queue.Fairness;

namespace Ticketing.Queue.Drops;

/// <summary>One fan's place in one room.</summary>
public sealed class Entry(Guid id, string fanId, Room room, int joinIndex, DateTimeOffset joinedAt)
{
    public Guid Id { get; } = id;
    public string FanId { get; } = fanId;
    public Room Room { get; } = room;

    /// <summary>0-based arrival order within the room.</summary>
    public int JoinIndex { get; } = joinIndex;
    public DateTimeOffset JoinedAt { get; } = joinedAt;

    /// <summary>0-based place in the room's queue order; -1 until the room's draw.</summary>
    public int QueueIndex { get; internal set; } = -1;
    public DateTimeOffset? AdmittedAt { get; internal set; }
    public DateTimeOffset? PassExpiresAt { get; internal set; }

    /// <summary>0-based order of admission across the drop (for pass expiry), -1 until admitted.</summary>
    internal int AdmissionIndex { get; set; } = -1;
    public DateTimeOffset? FinishedAt { get; internal set; }
    public bool FinishedBeforeExpiry { get; internal set; }
}

/// <summary>A queue of the drop: the presale room (members only) or the general room.</summary>
public sealed class Room(string name, string seed, string commitment)
{
    public string Name { get; } = name;
    public string Seed { get; } = seed;
    public string Commitment { get; } = commitment;
    public bool MembersOnly { get; init; }

    /// <summary>When fans may start joining this room.</summary>
    public DateTimeOffset JoinOpensAt { get; internal set; }

    /// <summary>When this room's sale opens: its draw, then admission.</summary>
    public DateTimeOffset SaleOpensAt { get; internal set; }

    /// <summary>When this room stops admitting (the presale's end); null for the general room.</summary>
    public DateTimeOffset? EndsAt { get; internal set; }
    public DateTimeOffset? DrawnAt { get; internal set; }
    public bool Drawn => DrawnAt is not null;

    internal List<Entry> Joined { get; } = [];
    internal List<Entry> Order { get; } = [];
    internal Dictionary<string, Entry> ByFan { get; } = new(StringComparer.Ordinal);
    internal Dictionary<Guid, Entry> ById { get; } = [];
    internal List<Guid> PreOpening { get; } = [];

    /// <summary>Admitted entries in queue order are all before this index.</summary>
    internal int AdmittedCursor { get; set; }
    internal int AdmittedCount { get; set; }

    public int Waiting => Drawn ? Order.Count - AdmittedCount : Joined.Count;

    public bool IsSelling(DateTimeOffset now) => now >= SaleOpensAt && (EndsAt is null || now < EndsAt);

    /// <summary>Whether the entry takes part in this room's draw: it joined before the room's sale opened.</summary>
    internal bool JoinedBeforeOpening(Entry entry) => entry.JoinedAt < SaleOpensAt;
}

/// <summary>Where a join goes, decided on the state the instance has.</summary>
public abstract record JoinTarget
{
    public sealed record Existing(Entry Entry) : JoinTarget;
    public sealed record NewEntry(string Room, string? CodeHash) : JoinTarget;
    public sealed record NotOpen(DateTimeOffset OpensAt) : JoinTarget;
    public sealed record MembersOnly(DateTimeOffset? GeneralJoinOpensAt, bool CodeUsed) : JoinTarget;
    public sealed record Closed(string Reason) : JoinTarget;
}

/// <summary>The next thing the admission runner must do for a drop.</summary>
public abstract record AdmissionStep
{
    public sealed record DrawRoom(string Room, int PreOpeningEntries) : AdmissionStep;
    public sealed record Admit(string Room, IReadOnlyList<Guid> EntryIds, DateTimeOffset PassExpiresAt, double TokensLeft) : AdmissionStep;
}

/// <summary>A fan's entry as the API shows it.</summary>
public sealed record EntryView(
    Guid EntryId,
    Guid DropId,
    string Status,
    int? Position,
    int? AheadOfYou,
    int? EstimatedWaitSeconds,
    string FanId,
    string Room,
    DateTimeOffset JoinedAt,
    DateTimeOffset DrawAt,
    DateTimeOffset? PassExpiresAt,
    int QueueLength,
    bool Paused);

/// <summary>The operator's numbers of a drop.</summary>
public sealed record DropCounters(
    Guid DropId,
    string Kind,
    string Title,
    string Artist,
    string Phase,
    DateTimeOffset OpensAt,
    DateTimeOffset SaleOpensAt,
    int AdmissionsPerMinute,
    int? MaxActive,
    int PassMinutes,
    bool Paused,
    bool SoldOut,
    string? ClosedReason,
    int Joined,
    int Waiting,
    int Admitted,
    int Active,
    int PassesUsed,
    int PassesExpired,
    double MeasuredAdmissionsPerMinute,
    double Abandonment,
    IReadOnlyList<RoomCounters> Rooms,
    PresaleCounters? Presale,
    long Version);

public sealed record RoomCounters(string Room, bool MembersOnly, DateTimeOffset JoinOpensAt, DateTimeOffset SaleOpensAt, DateTimeOffset? EndsAt, DateTimeOffset? DrawnAt, int Joined, int Waiting, int Admitted);

public sealed record PresaleCounters(DateTimeOffset EndsAt, int Members, int Codes, int CodesUsed);

/// <summary>What is published of a room's draw.</summary>
public sealed record RoomDraw(string Room, string Commitment, DateTimeOffset SaleOpensAt, DateTimeOffset? DrawnAt, string? Seed, IReadOnlyList<Guid>? PreOpeningEntryIds);

/// <summary>
/// One drop's waiting room in memory: the fold of its event stream, the same on every instance. Reads (a fan's
/// place, the counters) cost no database round trip; the stream follower applies new events under the same lock.
/// </summary>
public sealed class DropState
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(60);

    private readonly Lock gate = new();
    private readonly List<Room> rooms = [];
    private readonly HashSet<string> members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> codes = new(StringComparer.Ordinal);
    private readonly List<Entry> admittedInOrder = [];
    private readonly Queue<(DateTimeOffset At, int Count)> recentAdmissions = new();
    private readonly Dictionary<string, Entry> admittedByFan = new(StringComparer.Ordinal);

    private double tokens;
    private DateTimeOffset bucketAt;
    private DateTimeOffset sellingSince;
    private int expiryPointer;
    private int finishedBehindPointer;
    private int passesUsed;
    private DateTimeOffset lastNow;
    private (long Version, IReadOnlyList<RoomDraw> Draws)? publishedDraws;

    private DropState(DropAnnounced announced)
    {
        DropId = announced.DropId;
        Kind = announced.Kind;
        KindName = announced.Kind.ToString().ToLowerInvariant();
        Title = announced.Title;
        Artist = announced.Artist;
        OpensAt = announced.OpensAt;
        SaleOpensAt = announced.SaleOpensAt;
        AdmissionsPerMinute = announced.AdmissionsPerMinute;
        MaxActive = announced.MaxActive;
        PassMinutes = announced.PassMinutes;
        rooms.Add(new Room(Rooms.General, announced.Seed, announced.Commitment)
        {
            JoinOpensAt = announced.OpensAt,
            SaleOpensAt = announced.SaleOpensAt,
        });
        bucketAt = announced.AnnouncedAt;
    }

    public Guid DropId { get; }
    public DropKind Kind { get; }

    /// <summary><see cref="Kind"/> as the API writes it (<c>concert</c>, <c>product</c>).</summary>
    public string KindName { get; }
    public string Title { get; }
    public string Artist { get; }
    public DateTimeOffset OpensAt { get; }
    public DateTimeOffset SaleOpensAt { get; }
    public int AdmissionsPerMinute { get; private set; }
    public int? MaxActive { get; private set; }
    public int PassMinutes { get; }
    public bool Paused { get; private set; }
    public bool SoldOut { get; private set; }

    /// <summary>When the sold-out state last changed, by the announcing service's clock (older news is ignored).</summary>
    public DateTimeOffset AvailabilityChangedAt { get; private set; }
    public string? ClosedReason { get; private set; }

    /// <summary>The stream version folded so far.</summary>
    public long Version { get; private set; }

    private TaskCompletionSource changedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes the next time events are applied (one task shared by every waiter: a stream per fan costs nothing per change).</summary>
    public Task NextChange => Volatile.Read(ref changedSignal).Task;

    /// <summary>The state after the stream's first event; null when the stream does not start with an announcement.</summary>
    public static DropState? Start(DropEvent first)
    {
        if (first.Data is not DropAnnounced announced)
        {
            return null;
        }

        return new DropState(announced) { Version = first.Version };
    }

    /// <summary>
    /// Applies events in stream order: events at or below <see cref="Version"/> are skipped, and nothing past a gap is
    /// applied (the stream is read again instead). Returns whether the state is now at the last event's version.
    /// </summary>
    public bool Apply(IReadOnlyList<DropEvent> events)
    {
        var applied = false;
        lock (gate)
        {
            foreach (var @event in events)
            {
                if (@event.Version <= Version)
                {
                    continue;
                }

                if (@event.Version != Version + 1)
                {
                    break;
                }

                ApplyOne(@event.Data);
                Version = @event.Version;
                applied = true;
            }
        }

        if (applied)
        {
            Interlocked.Exchange(ref changedSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        return events.Count == 0 || Version >= events[^1].Version;
    }

    private void ApplyOne(object data)
    {
        switch (data)
        {
            case EntriesJoined joined:
                foreach (var entry in joined.Entries)
                {
                    Join(entry, joined.At);
                }

                break;
            case RoomDrawn drawn:
                DrawRoom(drawn);
                break;
            case FansAdmitted admitted:
                Admit(admitted);
                break;
            case EntriesFinished finished:
                foreach (var entry in finished.Entries)
                {
                    Finish(entry, finished.At);
                }

                break;
            case AdmissionPaused:
                Paused = true;
                break;
            case AdmissionResumed resumed:
                Paused = false;
                RestartBucket(resumed.At);
                break;
            case AdmissionRateChanged changed:
                tokens = Math.Min(AdmissionDecisions.Capacity(changed.AdmissionsPerMinute), TokensAtUnlocked(changed.At));
                bucketAt = changed.At;
                AdmissionsPerMinute = changed.AdmissionsPerMinute;
                MaxActive = changed.MaxActive;
                break;
            case DropSoldOut soldOut when soldOut.At >= AvailabilityChangedAt:
                SoldOut = true;
                AvailabilityChangedAt = soldOut.At;
                break;
            case DropBackOnSale back when back.At >= AvailabilityChangedAt:
                SoldOut = false;
                AvailabilityChangedAt = back.At;
                RestartBucket(back.At);
                break;
            case DropClosed closed:
                ClosedReason ??= closed.Reason;
                break;
            case PresaleScheduled presale:
                SchedulePresale(presale);
                break;
            case MembersImported imported:
                members.UnionWith(imported.MemberIds);
                foreach (var hash in imported.CodeHashes)
                {
                    codes.TryAdd(hash, null);
                }

                break;
        }
    }

    private void RestartBucket(DateTimeOffset at)
    {
        tokens = 0;
        bucketAt = at;
        sellingSince = at;
    }

    private Room? RoomNamed(string name) => rooms.FirstOrDefault(room => room.Name == name);

    private Room General => rooms[^1];

    private void SchedulePresale(PresaleScheduled presale)
    {
        if (RoomNamed(Rooms.Presale) is not null)
        {
            return;
        }

        var general = General;
        var lead = SaleOpensAt - OpensAt;
        general.SaleOpensAt = presale.EndsAt;
        general.JoinOpensAt = Max(OpensAt, presale.EndsAt - lead);
        rooms.Insert(0, new Room(Rooms.Presale, presale.Seed, presale.Commitment)
        {
            MembersOnly = true,
            JoinOpensAt = OpensAt,
            SaleOpensAt = SaleOpensAt,
            EndsAt = presale.EndsAt,
        });
    }

    private void Join(JoinedEntry joined, DateTimeOffset at)
    {
        if (RoomNamed(joined.Room) is not { } room || room.ByFan.ContainsKey(joined.FanId) || room.ById.ContainsKey(joined.EntryId))
        {
            return; // one place per fan per room: a second join (another instance, the same instant) is not a new place
        }

        if (room.MembersOnly && !members.Contains(joined.FanId))
        {
            // A one-time code: the first fan to use it has it; anyone else's join with it is refused.
            if (joined.CodeHash is null || !codes.TryGetValue(joined.CodeHash, out var usedBy) || (usedBy is not null && usedBy != joined.FanId))
            {
                return;
            }

            codes[joined.CodeHash] = joined.FanId;
        }

        var entry = new Entry(joined.EntryId, joined.FanId, room, room.Joined.Count, at);
        room.Joined.Add(entry);
        room.ByFan[joined.FanId] = entry;
        room.ById[joined.EntryId] = entry;
        if (room.Drawn)
        {
            entry.QueueIndex = room.Order.Count;
            room.Order.Add(entry);
        }
    }

    private void DrawRoom(RoomDrawn drawn)
    {
        if (RoomNamed(drawn.Room) is not { } room || room.Drawn)
        {
            return;
        }

        // Only fans who joined before the sale opened are drawn; a fan who joined after the opening, while the draw
        // was still to run (the runner a moment late, or restarting), queues behind them in arrival order.
        var preOpening = room.Joined.Where(room.JoinedBeforeOpening).Select(entry => entry.Id).ToList();
        room.PreOpening.AddRange(preOpening);
        var later = room.Joined.Where(entry => !room.JoinedBeforeOpening(entry));
        foreach (var entry in Draw.Order(room.Seed, preOpening).Select(id => room.ById[id]).Concat(later))
        {
            entry.QueueIndex = room.Order.Count;
            room.Order.Add(entry);
        }

        room.DrawnAt = drawn.At;
        RestartBucket(drawn.At);
    }

    private void Admit(FansAdmitted admitted)
    {
        if (RoomNamed(admitted.Room) is not { } room)
        {
            return;
        }

        var count = 0;
        foreach (var id in admitted.EntryIds)
        {
            // Admitting is once per entry: an entry named again (a runner that lost its lock mid-round) changes nothing.
            if (!room.ById.TryGetValue(id, out var entry) || entry.AdmittedAt is not null)
            {
                continue;
            }

            entry.AdmittedAt = admitted.At;
            entry.PassExpiresAt = admitted.PassExpiresAt;
            entry.AdmissionIndex = admittedInOrder.Count;
            admittedInOrder.Add(entry);
            admittedByFan[entry.FanId] = entry;
            room.AdmittedCount++;
            count++;
        }

        while (room.AdmittedCursor < room.Order.Count && room.Order[room.AdmittedCursor].AdmittedAt is not null)
        {
            room.AdmittedCursor++;
        }

        tokens = admitted.TokensLeft;
        bucketAt = admitted.At;
        if (count > 0)
        {
            recentAdmissions.Enqueue((admitted.At, count));
        }
    }

    private void Finish(FinishedEntry finished, DateTimeOffset at)
    {
        if (!admittedByFan.TryGetValue(finished.FanId, out var entry) || entry.FinishedAt is not null)
        {
            return;
        }

        entry.FinishedAt = at;
        entry.FinishedBeforeExpiry = at < entry.PassExpiresAt;
        if (entry.FinishedBeforeExpiry)
        {
            passesUsed++;
            if (entry.AdmissionIndex < expiryPointer)
            {
                finishedBehindPointer++;
            }
        }
    }

    // ----- reads (every one under the lock, given the time) -----

    /// <summary>Where a join of <paramref name="fanId"/> (with a membership code's hash, if any) goes at <paramref name="now"/>.</summary>
    public JoinTarget JoinTargetOf(string fanId, string? codeHash, DateTimeOffset now)
    {
        lock (gate)
        {
            var general = General;
            if (general.ByFan.TryGetValue(fanId, out var inGeneral))
            {
                return new JoinTarget.Existing(inGeneral);
            }

            var presale = RoomNamed(Rooms.Presale);
            if (presale is not null && presale.ByFan.TryGetValue(fanId, out var inPresale) && now < presale.EndsAt)
            {
                return new JoinTarget.Existing(inPresale);
            }

            if (ClosedReason is { } reason)
            {
                return presale?.ByFan.GetValueOrDefault(fanId) is { } earlier ? new JoinTarget.Existing(earlier) : new JoinTarget.Closed(reason);
            }

            if (now < OpensAt)
            {
                return new JoinTarget.NotOpen(OpensAt);
            }

            if (presale is not null && now < presale.EndsAt)
            {
                var codeUsedByOther = codeHash is not null && codes.TryGetValue(codeHash, out var usedBy) && usedBy is not null && usedBy != fanId;
                var member = members.Contains(fanId) || (codeHash is not null && codes.ContainsKey(codeHash) && !codeUsedByOther);
                if (member)
                {
                    return new JoinTarget.NewEntry(Rooms.Presale, members.Contains(fanId) ? null : codeHash);
                }

                if (now < general.JoinOpensAt)
                {
                    return new JoinTarget.MembersOnly(general.JoinOpensAt, codeUsedByOther);
                }
            }

            return now < general.JoinOpensAt ? new JoinTarget.NotOpen(general.JoinOpensAt) : new JoinTarget.NewEntry(Rooms.General, null);
        }
    }

    /// <summary>Whether the fan may join the presale room with this code (false once another fan used it).</summary>
    public bool IsCodeTakenByOther(string codeHash, string fanId)
    {
        lock (gate)
        {
            return codes.TryGetValue(codeHash, out var usedBy) && usedBy is not null && usedBy != fanId;
        }
    }

    /// <summary>The fan's entry in <paramref name="room"/>, or null.</summary>
    public Entry? EntryIn(string room, string fanId)
    {
        lock (gate)
        {
            return RoomNamed(room)?.ByFan.GetValueOrDefault(fanId);
        }
    }

    /// <summary>An entry by its id, in whichever room.</summary>
    public Entry? FindEntry(Guid entryId)
    {
        lock (gate)
        {
            return rooms.Select(room => room.ById.GetValueOrDefault(entryId)).FirstOrDefault(entry => entry is not null);
        }
    }

    /// <summary>The fan's entry: in the general room if they joined it, else in the presale room.</summary>
    public Entry? EntryOf(string fanId)
    {
        lock (gate)
        {
            return General.ByFan.GetValueOrDefault(fanId) ?? RoomNamed(Rooms.Presale)?.ByFan.GetValueOrDefault(fanId);
        }
    }

    /// <summary>What the fan sees of <paramref name="entry"/> at <paramref name="now"/>.</summary>
    public EntryView View(Entry entry, DateTimeOffset now)
    {
        lock (gate)
        {
            var room = entry.Room;
            string status;
            int? position;
            int? wait;
            if (entry.AdmittedAt is not null)
            {
                status = now < entry.PassExpiresAt ? EntryStatuses.Admitted : EntryStatuses.Expired;
                position = 0;
                wait = 0;
            }
            else
            {
                var closed = ClosedReason is not null || (room.EndsAt is { } ends && now >= ends);
                (status, position, wait) = WaitingPlace.Of(closed, SoldOut, room.Drawn, entry.QueueIndex, room.AdmittedCursor, EffectiveRateUnlocked(now));
            }

            return new EntryView(
                entry.Id,
                DropId,
                status,
                position,
                WaitingPlace.AheadOf(position),
                wait,
                entry.FanId,
                room.Name,
                entry.JoinedAt,
                room.SaleOpensAt,
                entry.AdmittedAt is null ? null : entry.PassExpiresAt,
                room.Waiting,
                Paused);
        }
    }

    /// <summary>
    /// The general room's place of <paramref name="entry"/> for the gateway's edge answers, or null for a presale
    /// entry (a fan's presale place is answered by the Queue: the fan may join the general room on another instance).
    /// </summary>
    public static QueuePlace? PlaceOf(Entry entry) =>
        entry.Room.Name == Rooms.General ? new QueuePlace(entry.Id, entry.QueueIndex, entry.JoinedAt) : null;

    /// <summary>What a gateway needs to answer places in the general room itself, as this instance has it now.</summary>
    public QueueBoard Board(DateTimeOffset now)
    {
        lock (gate)
        {
            var general = General;
            return new QueueBoard(
                DropId,
                KindName,
                Paused,
                SoldOut,
                ClosedReason is not null,
                EffectiveRateUnlocked(now),
                general.Drawn,
                general.AdmittedCursor,
                general.Waiting,
                general.SaleOpensAt,
                now);
        }
    }

    /// <summary>What the admission runner must do now, if anything: a draw that is due, or fans to let in.</summary>
    public AdmissionStep? NextStep(DateTimeOffset now)
    {
        lock (gate)
        {
            if (ClosedReason is not null)
            {
                return null;
            }

            foreach (var room in rooms)
            {
                if (!room.Drawn && now >= room.SaleOpensAt)
                {
                    return new AdmissionStep.DrawRoom(room.Name, room.Joined.Count(entry => room.JoinedBeforeOpening(entry)));
                }
            }

            var selling = rooms.FirstOrDefault(room => room.IsSelling(now));
            if (selling is null || Paused || SoldOut || selling.Waiting == 0)
            {
                return null;
            }

            var available = TokensAtUnlocked(now);
            var count = AdmissionDecisions.HowMany(available, selling.Waiting, ActiveUnlocked(now), MaxActive);
            if (count == 0)
            {
                return null;
            }

            var next = new List<Guid>(count);
            for (var i = selling.AdmittedCursor; i < selling.Order.Count && next.Count < count; i++)
            {
                if (selling.Order[i].AdmittedAt is null)
                {
                    next.Add(selling.Order[i].Id);
                }
            }

            return new AdmissionStep.Admit(selling.Name, next, now.AddMinutes(PassMinutes), available - next.Count);
        }
    }

    /// <summary>The operator's view at <paramref name="now"/>.</summary>
    public DropCounters Counters(DateTimeOffset now)
    {
        lock (gate)
        {
            var active = ActiveUnlocked(now);
            var expired = expiryPointer - finishedBehindPointer;
            var admitted = admittedInOrder.Count;
            var presale = RoomNamed(Rooms.Presale);
            return new DropCounters(
                DropId,
                KindName,
                Title,
                Artist,
                PhaseUnlocked(now),
                OpensAt,
                SaleOpensAt,
                AdmissionsPerMinute,
                MaxActive,
                PassMinutes,
                Paused,
                SoldOut,
                ClosedReason,
                rooms.Sum(room => room.Joined.Count),
                rooms.Where(room => ClosedReason is null && (room.EndsAt is null || now < room.EndsAt)).Sum(room => room.Waiting),
                admitted,
                active,
                passesUsed,
                expired,
                Math.Round(MeasuredUnlocked(now) ?? 0, 1),
                passesUsed + expired == 0 ? 0 : Math.Round((double)expired / (passesUsed + expired), 3),
                rooms.Select(room => new RoomCounters(room.Name, room.MembersOnly, room.JoinOpensAt, room.SaleOpensAt, room.EndsAt, room.DrawnAt, room.Joined.Count, room.Waiting, room.AdmittedCount)).ToList(),
                presale is null ? null : new PresaleCounters(presale.EndsAt!.Value, members.Count, codes.Count, codes.Values.Count(usedBy => usedBy is not null)),
                Version);
        }
    }

    /// <summary>
    /// The published side of every room's draw: the commitment always, the seed and entry list once drawn. Built once
    /// per version of the stream (the list of a big room is long, and anyone may ask for it).
    /// </summary>
    public IReadOnlyList<RoomDraw> Draws()
    {
        lock (gate)
        {
            if (publishedDraws is { } published && published.Version == Version)
            {
                return published.Draws;
            }

            var draws = rooms.Select(room => new RoomDraw(
                room.Name,
                room.Commitment,
                room.SaleOpensAt,
                room.DrawnAt,
                room.Drawn ? room.Seed : null,
                room.Drawn ? room.PreOpening.ToList() : null)).ToList();
            publishedDraws = (Version, draws);
            return draws;
        }
    }

    /// <summary>Entry ids of a room in queue order (after its draw).</summary>
    public IReadOnlyList<Guid> QueueOrder(string room)
    {
        lock (gate)
        {
            return RoomNamed(room)?.Order.Select(entry => entry.Id).ToList() ?? [];
        }
    }

    /// <summary>Whether the fan holds an admission that has not finished (an order's end then finishes it).</summary>
    public bool HasOpenAdmission(string fanId)
    {
        lock (gate)
        {
            return admittedByFan.TryGetValue(fanId, out var entry) && entry.FinishedAt is null;
        }
    }

    public bool HasPresale
    {
        get
        {
            lock (gate)
            {
                return RoomNamed(Rooms.Presale) is not null;
            }
        }
    }

    private string PhaseUnlocked(DateTimeOffset now)
    {
        if (ClosedReason is not null)
        {
            return "closed";
        }

        if (now < OpensAt)
        {
            return "announced";
        }

        var selling = rooms.FirstOrDefault(room => room.IsSelling(now));
        if (selling is null)
        {
            return "joining";
        }

        return SoldOut ? "sold_out" : Paused ? "paused" : selling.MembersOnly ? "presale" : "admitting";
    }

    private double TokensAtUnlocked(DateTimeOffset now) =>
        Paused || SoldOut ? tokens : AdmissionDecisions.TokensAt(tokens, bucketAt, now, AdmissionsPerMinute);

    private int ActiveUnlocked(DateTimeOffset now)
    {
        // Time moves forward for the pointer even if callers' clocks differ by a little.
        if (now > lastNow)
        {
            lastNow = now;
        }

        while (expiryPointer < admittedInOrder.Count && admittedInOrder[expiryPointer].PassExpiresAt <= lastNow)
        {
            if (admittedInOrder[expiryPointer].FinishedBeforeExpiry)
            {
                finishedBehindPointer++;
            }

            expiryPointer++;
        }

        var expired = expiryPointer - finishedBehindPointer;
        return admittedInOrder.Count - passesUsed - expired;
    }

    private double? MeasuredUnlocked(DateTimeOffset now)
    {
        while (recentAdmissions.Count > 0 && recentAdmissions.Peek().At <= now - RateWindow)
        {
            recentAdmissions.Dequeue();
        }

        var from = Max(now - RateWindow, sellingSince);
        var count = 0;
        foreach (var (at, admitted) in recentAdmissions)
        {
            if (at > from)
            {
                count += admitted;
            }
        }

        return AdmissionDecisions.MeasuredPerMinute(count, now - from);
    }

    /// <summary>The measured rate when there is one, else the configured rate.</summary>
    private double EffectiveRateUnlocked(DateTimeOffset now) => MeasuredUnlocked(now) ?? AdmissionsPerMinute;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

