using System.Security.Cryptography;
using Ticketing.Catalog.Products;

namespace Ticketing.Catalog.Stock;

/// <summary>
/// The random-inclusion draw: one item for one sold unit, from what is left of the pool. Every remaining card is
/// equally likely (an item with 600 left is twice as likely as one with 300), so over a whole sale the items come out
/// in the pool's proportions and none beyond its count. The number is drawn with the cryptographic RNG
/// (<see cref="RandomNumberGenerator.GetInt32(int)"/>, uniform without modulo bias), so no one can predict or steer it.
/// </summary>
public static class InclusionDraws
{
    /// <summary>The item at <paramref name="ticket"/> (0 ≤ ticket &lt; cards left) when the cards left are laid out item by item; null when none is left.</summary>
    public static InclusionStock? Pick(IReadOnlyList<InclusionStock> items, int ticket)
    {
        foreach (var item in items)
        {
            if (ticket < item.Left)
            {
                return item;
            }

            ticket -= Math.Max(0, item.Left);
        }

        return null;
    }

    /// <summary>One draw from what is left, with the cryptographic RNG; null when the pool is empty.</summary>
    public static InclusionStock? Draw(IReadOnlyList<InclusionStock> items)
    {
        var left = items.Sum(item => Math.Max(0, item.Left));
        return left == 0 ? null : Pick(items, RandomNumberGenerator.GetInt32(left));
    }
}
