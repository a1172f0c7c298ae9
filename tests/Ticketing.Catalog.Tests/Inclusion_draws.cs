using Ticketing.Catalog.Products;
using Ticketing.Catalog.Stock;

namespace Ticketing.Catalog.Tests;

/// <summary>The random-inclusion draw as a pure rule: fair to the pool's proportions, never beyond a count.</summary>
public sealed class Inclusion_draws
{
    [Fact]
    public void Ten_thousand_draws_follow_the_pools_proportions_and_the_pool_never_runs_below_zero()
    {
        // Nine members with unequal counts (12,000 cards), 10,000 albums sold.
        int[] counts = [2400, 2000, 1600, 1400, 1200, 1000, 800, 400, 1200];
        var pool = counts.Select((count, i) => new InclusionStock($"M{i}", $"Member {i}", count)).ToList();
        var total = counts.Sum();
        var drawn = new int[counts.Length];

        for (var unit = 0; unit < 10_000; unit++)
        {
            var item = InclusionDraws.Draw(pool)!;
            var index = pool.FindIndex(candidate => candidate.Code == item.Code);
            pool[index] = item with { Drawn = item.Drawn + 1 };
            drawn[index]++;
        }

        // Chi-square against the pool's proportions, 8 degrees of freedom: p > 0.01 while the statistic stays below
        // 20.090. (Drawing without replacement only narrows the spread, so the test is if anything lenient to a bias.)
        var chiSquare = counts.Select((count, i) => Math.Pow(drawn[i] - 10_000.0 * count / total, 2) / (10_000.0 * count / total)).Sum();
        Assert.True(chiSquare < 20.090, $"chi-square {chiSquare:F2} with counts {string.Join(",", drawn)}");
        Assert.All(pool, item => Assert.InRange(item.Left, 0, item.Count));

        // Draw the remaining 2,000: every member comes out exactly their count, and then the pool is empty.
        for (var unit = 0; unit < 2_000; unit++)
        {
            var item = InclusionDraws.Draw(pool)!;
            var index = pool.FindIndex(candidate => candidate.Code == item.Code);
            pool[index] = item with { Drawn = item.Drawn + 1 };
        }

        Assert.All(pool, item => Assert.Equal(item.Count, item.Drawn));
        Assert.Null(InclusionDraws.Draw(pool));
    }

    [Fact]
    public void A_ticket_picks_the_item_it_falls_on_among_the_cards_left()
    {
        InclusionStock[] pool = [new("A", "A", 3, Drawn: 3), new("B", "B", 2), new("C", "C", 1)];

        Assert.Equal("B", InclusionDraws.Pick(pool, 0)!.Code);
        Assert.Equal("B", InclusionDraws.Pick(pool, 1)!.Code);
        Assert.Equal("C", InclusionDraws.Pick(pool, 2)!.Code);
        Assert.Null(InclusionDraws.Pick(pool, 3));
    }
}
