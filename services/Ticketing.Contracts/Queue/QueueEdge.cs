using System.Globalization;

namespace Ticketing.Contracts.Queue;

/// <summary>
/// A fan's place in a waiting room, as the waiting-room API answers it (<c>POST …/entries</c>, <c>GET …/entries/mine</c>
/// and its stream). <c>Status</c> is <c>waiting</c>, <c>admitted</c>, <c>expired</c>, <c>sold_out</c> or <c>closed</c>.
/// <c>Position</c> (1 = next), <c>AheadOfYou</c> and <c>EstimatedWaitSeconds</c> are null before the room's draw
/// (<c>DrawAt</c>), 0 once admitted. <c>AdmissionPass</c> and <c>PassExpiresAt</c> only while admitted.
/// </summary>
public sealed record EntryResponse(
    Guid EntryId,
    Guid DropId,
    string Status,
    int? Position,
    int? AheadOfYou,
    int? EstimatedWaitSeconds,
    string? AdmissionPass,
    DateTimeOffset? PassExpiresAt,
    string Kind,
    string Room,
    DateTimeOffset JoinedAt,
    DateTimeOffset DrawAt,
    int QueueLength,
    bool Paused);

/// <summary>The statuses of <see cref="EntryResponse.Status"/>.</summary>
public static class EntryStatuses
{
    public const string Waiting = "waiting";
    public const string Admitted = "admitted";
    public const string Expired = "expired";
    public const string SoldOut = "sold_out";
    public const string Closed = "closed";
}

/// <summary>Where a fan who is not admitted stands, and how long they should expect to wait.</summary>
public readonly record struct WaitingPlace(string Status, int? Position, int? EstimatedWaitSeconds)
{
    /// <summary>
    /// The rule both the Queue and the gateway's edge answer apply to an entry not yet admitted: closed (the drop or
    /// the room ended) before sold out before waiting; a place only once the room is drawn (<paramref name="queueIndex"/>
    /// 0-based, <paramref name="admittedCursor"/> the first index not yet admitted in order); a wait only while waiting,
    /// at <paramref name="admissionsPerMinute"/> (the measured rate, or the configured one).
    /// </summary>
    public static WaitingPlace Of(bool closed, bool soldOut, bool drawn, int queueIndex, int admittedCursor, double admissionsPerMinute)
    {
        var status = closed ? EntryStatuses.Closed : soldOut ? EntryStatuses.SoldOut : EntryStatuses.Waiting;
        if (!drawn || status == EntryStatuses.Closed)
        {
            return new WaitingPlace(status, null, null);
        }

        var position = Math.Max(1, queueIndex - admittedCursor + 1);
        return new WaitingPlace(status, position, status == EntryStatuses.Waiting ? WaitSeconds(position, Math.Max(1, admissionsPerMinute)) : null);
    }

    /// <summary>Fans ahead of the one at <paramref name="position"/> (1 = next; 0 = admitted): none before the draw.</summary>
    public static int? AheadOf(int? position) => position is { } p ? Math.Max(0, p - 1) : null;

    /// <summary>Seconds until the fan at <paramref name="position"/> is let in at <paramref name="perMinute"/>.</summary>
    public static int WaitSeconds(int position, double perMinute) =>
        perMinute <= 0 ? int.MaxValue : (int)Math.Ceiling(position * 60.0 / perMinute);
}

/// <summary>
/// What a gateway needs, besides a fan's <see cref="QueuePlace"/>, to answer that fan's place in the general room
/// without asking the Queue (<c>GET /internal/queue/{dropId}/board</c>): the drop's state and the general room's
/// admission cursor, as one Queue instance had them at <see cref="At"/>.
/// </summary>
public sealed record QueueBoard(
    Guid DropId,
    string Kind,
    bool Paused,
    bool SoldOut,
    bool Closed,
    double AdmissionsPerMinute,
    bool Drawn,
    int AdmittedCursor,
    int Waiting,
    DateTimeOffset DrawAt,
    DateTimeOffset At)
{
    public const string Room = "general";

    /// <summary>
    /// The answer for a fan at <paramref name="place"/>, or null when this board cannot give it and the Queue must:
    /// the fan is admitted or was passed over (their index is behind the cursor: a pass is the Queue's to sign), or
    /// the place was learned before the draw and the room is drawn now.
    /// </summary>
    public EntryResponse? Answer(QueuePlace place)
    {
        var answerable = Drawn ? place.QueueIndex >= AdmittedCursor : place.QueueIndex < 0;
        if (!answerable)
        {
            return null;
        }

        var waiting = WaitingPlace.Of(Closed, SoldOut, Drawn, place.QueueIndex, AdmittedCursor, AdmissionsPerMinute);
        return new EntryResponse(
            place.EntryId, DropId, waiting.Status, waiting.Position, WaitingPlace.AheadOf(waiting.Position), waiting.EstimatedWaitSeconds,
            null, null, Kind, Room, place.JoinedAt, DrawAt, Waiting, Paused);
    }
}

/// <summary>
/// A general-room entry's place, sent by the Queue to the gateway in the <see cref="HeaderName"/> response header of
/// a fan's join and place answers (the gateway removes it): <c>{entryId:N}.{queueIndex}.{joinedAt as UTC ticks}</c>,
/// the index -1 before the room's draw (ticks, so that the gateway's answer shows the very time the Queue's does).
/// </summary>
public readonly record struct QueuePlace(Guid EntryId, int QueueIndex, DateTimeOffset JoinedAt)
{
    public const string HeaderName = "X-Queue-Place";

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{EntryId:N}.{QueueIndex}.{JoinedAt.UtcTicks}");

    public static bool TryParse(string? value, out QueuePlace place)
    {
        place = default;
        var parts = (value ?? "").Split('.');
        if (parts.Length == 3
            && Guid.TryParseExact(parts[0], "N", out var entryId)
            && int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var queueIndex)
            && queueIndex >= -1
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var joinedAt)
            && joinedAt <= DateTimeOffset.MaxValue.UtcTicks)
        {
            place = new QueuePlace(entryId, queueIndex, new DateTimeOffset(joinedAt, TimeSpan.Zero));
            return true;
        }

        return false;
    }
}
