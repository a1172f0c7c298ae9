using System.Security.Cryptography;
using System.Text;
using Ticketing.Queue.Fairness;
using Ticketing.Queue.LuckyDraws;

namespace Ticketing.Queue.Tests;

/// <summary>The lucky draw as pure rules: recomputable by anyone from what is published, and blind to entry time.</summary>
public sealed class Lucky_draw_rules
{
    private static readonly DateTimeOffset Closes = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static LuckyDraw Open(int winners, string seed, int claimMinutes = 30) => new()
    {
        Id = Guid.NewGuid(),
        ProductId = Guid.NewGuid(),
        Title = "Signed polaroid",
        OpensAt = Closes.AddDays(-1),
        ClosesAt = Closes,
        Winners = winners,
        ClaimMinutes = claimMinutes,
        Seed = seed,
        Commitment = Draw.Commitment(seed),
        OpenedBy = "ops",
    };

    /// <summary>The published algorithm, written again from its text alone (as a fan's script would be), without the service's code.</summary>
    private static List<Guid> Recompute(string seedHex, IEnumerable<Guid> entryIds)
    {
        var seed = Convert.FromHexString(seedHex);
        return entryIds
            .Select(id => (Id: id, Key: Convert.ToHexString(HMACSHA256.HashData(seed, Encoding.ASCII.GetBytes(id.ToString("D").ToLowerInvariant())))))
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .ThenBy(entry => entry.Id.ToString("D"), StringComparer.Ordinal)
            .Select(entry => entry.Id)
            .ToList();
    }

    [Fact]
    public void Fifty_thousand_entries_recomputed_from_the_published_seed_and_list_give_the_same_winners_whatever_their_entry_time()
    {
        var seed = Draw.NewSeed();
        var entries = Enumerable.Range(0, 50_000).Select(i => (EntryId: Guid.NewGuid(), FanId: $"fan-{i:D5}")).ToList();
        var draw = LuckyDrawRules.Drawn(Open(5_000, seed), LuckyDrawRules.Order(seed, entries), Closes);

        // What is published: the commitment before, the seed and the entry ids (in entry order) after.
        Assert.Equal(draw.Commitment, Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(seed))));
        var recomputed = Recompute(seed, entries.Select(entry => entry.EntryId));
        Assert.Equal(recomputed.Take(5_000), draw.Rights.OrderBy(right => right.Rank).Select(right => right.EntryId));

        // Entry time: the winners spread evenly over the ten tenths of the entry order (500 expected in each).
        // Chi-square with 9 degrees of freedom stays below 21.666 unless p < 0.01.
        var placeOf = entries.Select((entry, place) => (entry.EntryId, place)).ToDictionary(pair => pair.EntryId, pair => pair.place);
        var perTenth = new int[10];
        foreach (var right in draw.Rights)
        {
            perTenth[placeOf[right.EntryId] / 5_000]++;
        }

        var chiSquare = perTenth.Sum(count => Math.Pow(count - 500, 2) / 500);
        Assert.True(chiSquare < 21.666, $"chi-square {chiSquare:F2}: {string.Join(",", perTenth)}");
    }

    [Fact]
    public void Rights_that_lapse_pass_to_the_next_entries_in_drawn_order_and_a_claimed_right_stays()
    {
        var seed = Draw.NewSeed();
        var entries = Enumerable.Range(0, 10).Select(i => (EntryId: Guid.NewGuid(), FanId: $"fan-{i}")).ToList();
        var order = LuckyDrawRules.Order(seed, entries);
        var draw = LuckyDrawRules.Drawn(Open(3, seed), order, Closes);

        var claimed = LuckyDrawRules.Claimed(draw, order[0].FanId, Guid.NewGuid());
        var passedOn = LuckyDrawRules.PassOn(claimed, order, Closes.AddMinutes(31));

        Assert.Equal([PurchaseRightStatus.Claimed, PurchaseRightStatus.Lapsed, PurchaseRightStatus.Lapsed, PurchaseRightStatus.Granted, PurchaseRightStatus.Granted],
            passedOn.Rights.Select(right => right.Status));
        Assert.Equal(order.Skip(3).Take(2).Select(entry => entry.EntryId), passedOn.Rights.Skip(3).Select(right => right.EntryId));
        Assert.Equal(5, passedOn.NextRank);
        Assert.Same(passedOn, LuckyDrawRules.PassOn(passedOn, order, Closes.AddMinutes(32)));
        var notYet = Open(3, seed);
        Assert.Same(notYet, LuckyDrawRules.Drawn(notYet, order, Closes.AddSeconds(-1)));
    }

    [Fact]
    public void A_fan_enters_only_inside_the_window_and_a_members_only_draw_only_as_a_member()
    {
        var draw = Open(1, Draw.NewSeed()) with { MembersOnly = true, Members = ["member-1"] };

        Assert.Equal(LuckyDrawReasons.NotOpen, LuckyDrawRules.EntryRefusal(draw, "member-1", draw.OpensAt.AddSeconds(-1)));
        Assert.Equal(LuckyDrawReasons.Closed, LuckyDrawRules.EntryRefusal(draw, "member-1", Closes));
        Assert.Equal(LuckyDrawReasons.MembersOnly, LuckyDrawRules.EntryRefusal(draw, "someone", Closes.AddHours(-1)));
        Assert.Null(LuckyDrawRules.EntryRefusal(draw, "member-1", Closes.AddHours(-1)));
    }
}
