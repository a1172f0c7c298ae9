using Ticketing.Queue.Fairness;

namespace Ticketing.Queue.LuckyDraws;

public enum LuckyDrawStatus
{
    /// <summary>Taking entries until <c>ClosesAt</c>; only the seed's commitment is public.</summary>
    Open,

    /// <summary>Drawn: the seed is public and purchase rights go out in drawn order.</summary>
    Drawn,
}

public enum PurchaseRightStatus
{
    Granted,
    Claimed,
    Lapsed,
}

/// <summary>A winner's right to buy the item until <c>ExpiresAt</c>; <c>Rank</c> is the entry's place in the drawn order (0 first).</summary>
public sealed record PurchaseRight(int Rank, Guid EntryId, string FanId, PurchaseRightStatus Status, DateTimeOffset GrantedAt, DateTimeOffset ExpiresAt, Guid? OrderId = null);

/// <summary>One fan's entry (id: draw and fan, so a fan enters once). <c>EntryId</c> is random, chosen by the service.</summary>
public sealed record LuckyDrawEntry(string Id, Guid DrawId, Guid EntryId, string FanId, DateTimeOffset EnteredAt)
{
    public static string IdFor(Guid drawId, string fanId) => $"{drawId:N}/{fanId}";
}

/// <summary>
/// A lucky draw for a limited item: entries until <see cref="ClosesAt"/>, then <see cref="Winners"/> purchase rights
/// in the drawn order, each passed on to the next entry when it lapses. The seed stays secret (<see cref="Seed"/> is
/// never served while the draw is open); its commitment is public from the start.
/// </summary>
public sealed record LuckyDraw
{
    public Guid Id { get; init; }
    public Guid ProductId { get; init; }
    public required string Title { get; init; }
    public DateTimeOffset OpensAt { get; init; }
    public DateTimeOffset ClosesAt { get; init; }
    public int Winners { get; init; }
    public int ClaimMinutes { get; init; }
    public bool MembersOnly { get; init; }
    public IReadOnlyList<string> Members { get; init; } = [];
    public required string Seed { get; init; }
    public required string Commitment { get; init; }
    public LuckyDrawStatus Status { get; init; }
    public DateTimeOffset? DrawnAt { get; init; }
    public int EntryCount { get; init; }

    /// <summary>The place in the drawn order of the next entry to get a right when one lapses.</summary>
    public int NextRank { get; init; }
    public IReadOnlyList<PurchaseRight> Rights { get; init; } = [];
    public required string OpenedBy { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
}

/// <summary>The lucky draw's rules as pure decisions on its state, the drawn order and the time.</summary>
public static class LuckyDrawRules
{
    /// <summary>Why a fan may not enter now, or null when they may.</summary>
    public static string? EntryRefusal(LuckyDraw draw, string fanId, DateTimeOffset now) => draw switch
    {
        _ when now < draw.OpensAt => LuckyDrawReasons.NotOpen,
        _ when draw.Status != LuckyDrawStatus.Open || now >= draw.ClosesAt => LuckyDrawReasons.Closed,
        _ when draw.MembersOnly && !draw.Members.Contains(fanId) => LuckyDrawReasons.MembersOnly,
        _ => null,
    };

    /// <summary>The window closed: the first <c>Winners</c> entries of the drawn order get their rights.</summary>
    public static LuckyDraw Drawn(LuckyDraw draw, IReadOnlyList<(Guid EntryId, string FanId)> drawnOrder, DateTimeOffset now)
    {
        if (draw.Status != LuckyDrawStatus.Open || now < draw.ClosesAt)
        {
            return draw;
        }

        var winners = Math.Min(draw.Winners, drawnOrder.Count);
        return draw with
        {
            Status = LuckyDrawStatus.Drawn,
            DrawnAt = now,
            EntryCount = drawnOrder.Count,
            NextRank = winners,
            Rights = drawnOrder.Take(winners).Select((entry, rank) => Grant(draw, rank, entry, now)).ToList(),
        };
    }

    /// <summary>Rights past their deadline lapse, and as many go to the next entries of the drawn order.</summary>
    public static LuckyDraw PassOn(LuckyDraw draw, IReadOnlyList<(Guid EntryId, string FanId)> drawnOrder, DateTimeOffset now)
    {
        var lapsing = draw.Rights.Count(right => right.Status == PurchaseRightStatus.Granted && right.ExpiresAt <= now);
        if (draw.Status != LuckyDrawStatus.Drawn || lapsing == 0)
        {
            return draw;
        }

        var next = drawnOrder.Skip(draw.NextRank).Take(lapsing).Select((entry, i) => Grant(draw, draw.NextRank + i, entry, now)).ToList();
        return draw with
        {
            NextRank = draw.NextRank + next.Count,
            Rights = [.. draw.Rights.Select(right => right.Status == PurchaseRightStatus.Granted && right.ExpiresAt <= now ? right with { Status = PurchaseRightStatus.Lapsed } : right), .. next],
        };
    }

    /// <summary>The fan's order for the item was confirmed: their right is used (also when it lapsed while the order was paid).</summary>
    public static LuckyDraw Claimed(LuckyDraw draw, string fanId, Guid orderId) =>
        draw.Rights.FirstOrDefault(right => right.FanId == fanId) is { Status: not PurchaseRightStatus.Claimed } won
            ? draw with { Rights = draw.Rights.Select(right => right == won ? right with { Status = PurchaseRightStatus.Claimed, OrderId = orderId } : right).ToList() }
            : draw;

    private static PurchaseRight Grant(LuckyDraw draw, int rank, (Guid EntryId, string FanId) entry, DateTimeOffset now) =>
        new(rank, entry.EntryId, entry.FanId, PurchaseRightStatus.Granted, now, now.AddMinutes(draw.ClaimMinutes));

    /// <summary>The drawn order of <paramref name="entries"/> (in entry order) under the draw's seed.</summary>
    public static IReadOnlyList<(Guid EntryId, string FanId)> Order(string seed, IReadOnlyList<(Guid EntryId, string FanId)> entries)
    {
        var fanOf = entries.ToDictionary(entry => entry.EntryId, entry => entry.FanId);
        return LuckyDrawOrder.Of(seed, entries.Select(entry => entry.EntryId).ToList()).Select(id => (id, fanOf[id])).ToList();
    }
}

/// <summary>The <c>reason</c> codes of the lucky draw's problems.</summary>
public static class LuckyDrawReasons
{
    public const string NotOpen = "draw_not_open";
    public const string Closed = "draw_closed";
    public const string MembersOnly = "members_only";
    public const string NotEntered = "not_entered";
}
