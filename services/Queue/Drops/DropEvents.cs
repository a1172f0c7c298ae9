namespace Ticketing.Queue.Drops;

// The events of one drop's stream (stream id = the concert's or product's id). Everything the waiting room knows is
// in this one stream, in the order it happened: every instance folds it into the same DropState, and appends to it
// are serialised by a per-drop lock, so the stream's order is the order of arrival.

public enum DropKind
{
    Concert,
    Product,
}

/// <summary>
/// The Catalog published a drop with a waiting room. Carries the general room's draw seed (secret until the draw) and
/// its commitment (published at once).
/// </summary>
public sealed record DropAnnounced(
    Guid DropId,
    DropKind Kind,
    string Title,
    string Artist,
    DateTimeOffset OpensAt,
    DateTimeOffset SaleOpensAt,
    int AdmissionsPerMinute,
    int? MaxActive,
    int PassMinutes,
    string Seed,
    string Commitment,
    DateTimeOffset AnnouncedAt);

/// <summary>
/// An operator put a members-only presale before the general sale: the presale room draws at the sale's opening and
/// admits until <c>EndsAt</c>, when the general room draws. Carries the presale room's seed and commitment.
/// </summary>
public sealed record PresaleScheduled(Guid DropId, DateTimeOffset EndsAt, string Seed, string Commitment, string By, DateTimeOffset At);

/// <summary>Members of the presale: fan ids, and SHA-256 hashes (hex) of one-time membership codes.</summary>
public sealed record MembersImported(Guid DropId, IReadOnlyList<string> MemberIds, IReadOnlyList<string> CodeHashes, string By, DateTimeOffset At);

/// <summary>Fans joined a room, in arrival order; one event per group of joins committed together.</summary>
public sealed record EntriesJoined(Guid DropId, IReadOnlyList<JoinedEntry> Entries, DateTimeOffset At);

/// <summary>One fan's join: <c>CodeHash</c> is the hash of the membership code they used, if any.</summary>
public sealed record JoinedEntry(Guid EntryId, string FanId, string Room, string? CodeHash);

/// <summary>The room's sale opened: every entry that joined before this event gets a drawn place.</summary>
public sealed record RoomDrawn(Guid DropId, string Room, int PreOpeningEntries, DateTimeOffset At);

/// <summary>
/// The next fans of the room's queue were let in, each with a pass valid until <c>PassExpiresAt</c>.
/// <c>TokensLeft</c> is what remained in the admission bucket after them.
/// </summary>
public sealed record FansAdmitted(Guid DropId, string Room, IReadOnlyList<Guid> EntryIds, DateTimeOffset PassExpiresAt, double TokensLeft, DateTimeOffset At);

public sealed record AdmissionPaused(Guid DropId, string By, DateTimeOffset At);

public sealed record AdmissionResumed(Guid DropId, string By, DateTimeOffset At);

public sealed record AdmissionRateChanged(Guid DropId, int AdmissionsPerMinute, int? MaxActive, string By, DateTimeOffset At);

/// <summary>Tickets or the Catalog said nothing is left: waiting fans are told, and nobody is admitted.</summary>
public sealed record DropSoldOut(Guid DropId, DateTimeOffset At);

/// <summary>Seats or units came back: waiting fans wait again, and admission goes on.</summary>
public sealed record DropBackOnSale(Guid DropId, DateTimeOffset At);

/// <summary>The drop ended (the concert was cancelled): nobody is admitted any more.</summary>
public sealed record DropClosed(Guid DropId, string Reason, DateTimeOffset At);

/// <summary>Admitted fans finished: their order was confirmed or cancelled. They no longer count as active.</summary>
public sealed record EntriesFinished(Guid DropId, IReadOnlyList<FinishedEntry> Entries, DateTimeOffset At);

public sealed record FinishedEntry(string FanId, Guid OrderId, string Outcome);

public static class Rooms
{
    public const string Presale = "presale";
    public const string General = Ticketing.Contracts.Queue.QueueBoard.Room;
}

public static class FinishOutcomes
{
    public const string OrderConfirmed = "order_confirmed";
    public const string OrderCancelled = "order_cancelled";
}
