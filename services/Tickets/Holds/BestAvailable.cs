using Ticketing.Tickets.Seats;

namespace Ticketing.Tickets.Holds;

/// <summary>Chooses seats for a "best available" request from the available seats of a tier, best first.</summary>
public static class BestAvailable
{
    /// <summary>How many equally good blocks a request picks among, so that concurrent requests spread out.</summary>
    public const int Spread = 16;

    /// <summary>
    /// <paramref name="quantity"/> adjacent seats in one row when any row has them, taking the best row first
    /// (rows nearest the stage, then sections in map order); otherwise the best single seats. Null when fewer
    /// seats are available than asked for. <paramref name="candidates"/> must be ordered best first.
    /// </summary>
    public static IReadOnlyList<Seat>? Choose(IReadOnlyList<Seat> candidates, int quantity, Random random)
    {
        if (candidates.Count < quantity)
        {
            return null;
        }

        var blocks = AdjacentBlocks(candidates, quantity).ToList();
        if (blocks.Count > 0)
        {
            var bestRow = (blocks[0][0].RowIndex, blocks[0][0].SectionIndex);
            var sameRow = blocks.TakeWhile(block => (block[0].RowIndex, block[0].SectionIndex) == bestRow).Take(Spread).ToList();
            return sameRow[random.Next(sameRow.Count)];
        }

        return candidates.Take(quantity).ToList();
    }

    private static IEnumerable<IReadOnlyList<Seat>> AdjacentBlocks(IReadOnlyList<Seat> candidates, int quantity)
    {
        foreach (var row in candidates.GroupBy(seat => (seat.RowIndex, seat.SectionIndex)))
        {
            var seats = row.OrderBy(seat => seat.Number).ToList();
            for (var start = 0; start + quantity <= seats.Count; start++)
            {
                if (seats[start + quantity - 1].Number - seats[start].Number == quantity - 1)
                {
                    yield return seats.GetRange(start, quantity);
                }
            }
        }
    }
}
