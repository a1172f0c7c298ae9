namespace Ticketing.Bench.Holds;

/// <summary>
/// What a fan asks for: a pair of specific seats in one row (<see cref="SeatIndexes"/>), or the best
/// <see cref="SeatView.Quantity"/> seats of a tier (<see cref="SeatIndexes"/> null).
/// </summary>
public sealed record HoldWish(int[]? SeatIndexes, int Tier)
{
    public bool IsSpecific => SeatIndexes is not null;
}

/// <summary>
/// The fans' shared, client-side view of which seats are still free, as a fan's screen would show them: every
/// seat starts free; a seat asked for is pending until its answer (so two simulated fans do not pick the same
/// pair at once); a 201 or a 409 naming a seat marks it taken; a refresh of the public seat map marks every
/// seat it shows held as taken. Best-available requests take seats the view learns of only from their answers
/// and the next map refresh, so specific picks still collide sometimes, as real fans' do.
/// A tier counts as sold out after <see cref="ExhaustedAfter"/> "Not enough seats left" answers in a row.
/// Thread-safe (one lock; a few thousand operations a second).
/// </summary>
public sealed class SeatView
{
    public const int Quantity = 2;
    public const int ExhaustedAfter = 3;

    private const byte Free = 0;
    private const byte Pending = 1;
    private const byte Taken = 2;

    private readonly Lock gate = new();
    private readonly Venue venue;
    private readonly byte[] state;
    private readonly int[] freeInRow;
    private readonly List<int> openRows;
    private readonly bool[] isOpen;
    private readonly int[] notEnoughInARow;

    public SeatView(Venue venue)
    {
        this.venue = venue;
        state = new byte[venue.Capacity];
        freeInRow = Enumerable.Repeat(Venue.SeatsPerRow, venue.Rows).ToArray();
        openRows = Enumerable.Range(0, venue.Rows).ToList();
        isOpen = Enumerable.Repeat(true, venue.Rows).ToArray();
        notEnoughInARow = new int[Venue.Tiers.Count];
    }

    /// <summary>Every tier answered "not enough seats" <see cref="ExhaustedAfter"/> times in a row and no row has a free pair.</summary>
    public bool LooksSoldOut
    {
        get
        {
            lock (gate)
            {
                return notEnoughInARow.All(count => count >= ExhaustedAfter) && !HasOpenRow();
            }
        }
    }

    /// <summary>
    /// The next request of a fan: with probability <paramref name="specificPercent"/>% a free pair of one row,
    /// otherwise best available in a random tier not yet sold out; either falls back to the other. False when
    /// the view knows of nothing left to ask for.
    /// </summary>
    public bool TryNext(Random random, int specificPercent, out HoldWish wish)
    {
        lock (gate)
        {
            var specificFirst = random.Next(100) < specificPercent;
            if (specificFirst && TryPickPair(random, out wish))
            {
                return true;
            }

            var openTiers = Enumerable.Range(0, notEnoughInARow.Length).Where(tier => notEnoughInARow[tier] < ExhaustedAfter).ToList();
            if (openTiers.Count > 0)
            {
                wish = new HoldWish(null, openTiers[random.Next(openTiers.Count)]);
                return true;
            }

            return TryPickPair(random, out wish);
        }
    }

    /// <summary>Learns from an answer: seats held or named taken are taken; a pending pair that was not held is free again.</summary>
    public void Record(HoldWish wish, HoldAnswer answer)
    {
        lock (gate)
        {
            foreach (var seatId in answer.Outcome is HoldOutcome.Held or HoldOutcome.SeatsTaken ? answer.SeatIds : [])
            {
                if (venue.TryIndexOf(seatId, out var index))
                {
                    MarkTaken(index);
                }
            }

            foreach (var index in wish.SeatIndexes ?? [])
            {
                if (state[index] == Pending)
                {
                    MarkFree(index);
                }
            }

            if (!wish.IsSpecific)
            {
                notEnoughInARow[wish.Tier] = answer.Outcome switch
                {
                    HoldOutcome.Held => 0,
                    HoldOutcome.NotEnoughSeats => notEnoughInARow[wish.Tier] + 1,
                    _ => notEnoughInARow[wish.Tier],
                };
            }
        }
    }

    /// <summary>Learns from the public seat map: every seat it shows held or sold is taken.</summary>
    public void Learn(SeatMapView map)
    {
        lock (gate)
        {
            for (var index = 0; index < state.Length; index++)
            {
                if (map.Status[index] is SeatMapView.Held or SeatMapView.Sold && state[index] == Free)
                {
                    MarkTaken(index);
                }
            }
        }
    }

    /// <summary>
    /// Tiers counted as sold out whose seats the map (read after the last refusal) still shows
    /// available, <see cref="Quantity"/> or more: their count starts again, so fans ask for them again.
    /// </summary>
    public IReadOnlyList<string> Reopen(SeatMapView map)
    {
        lock (gate)
        {
            var available = new int[notEnoughInARow.Length];
            for (var index = 0; index < state.Length; index++)
            {
                available[venue.TierOfSeat(index)] += map.Status[index] == SeatMapView.Available && state[index] == Free ? 1 : 0;
            }

            var reopened = new List<string>();
            for (var tier = 0; tier < available.Length; tier++)
            {
                if (notEnoughInARow[tier] >= ExhaustedAfter && available[tier] >= Quantity)
                {
                    notEnoughInARow[tier] = 0;
                    reopened.Add($"{Venue.Tiers[tier].Code} ({available[tier]} seats)");
                }
            }

            return reopened;
        }
    }

    private bool TryPickPair(Random random, out HoldWish wish)
    {
        while (openRows.Count > 0)
        {
            var slot = random.Next(openRows.Count);
            var row = openRows[slot];
            if (freeInRow[row] < Quantity)
            {
                CloseRow(slot);
                continue;
            }

            var first = row * Venue.SeatsPerRow;
            var start = random.Next(Venue.SeatsPerRow);
            var pair = AdjacentPair(first, start) ?? AnyPair(first, start);
            foreach (var index in pair)
            {
                state[index] = Pending;
            }

            freeInRow[row] -= Quantity;
            if (freeInRow[row] < Quantity)
            {
                CloseRow(slot);
            }

            wish = new HoldWish(pair, venue.TierOfRow[row]);
            return true;
        }

        wish = null!;
        return false;
    }

    private int[]? AdjacentPair(int first, int start)
    {
        for (var offset = 0; offset < Venue.SeatsPerRow; offset++)
        {
            var seat = (start + offset) % Venue.SeatsPerRow;
            if (seat + 1 < Venue.SeatsPerRow && state[first + seat] == Free && state[first + seat + 1] == Free)
            {
                return [first + seat, first + seat + 1];
            }
        }

        return null;
    }

    private int[] AnyPair(int first, int start) =>
        Enumerable.Range(0, Venue.SeatsPerRow)
            .Select(offset => first + (start + offset) % Venue.SeatsPerRow)
            .Where(index => state[index] == Free)
            .Take(Quantity)
            .ToArray();

    private bool HasOpenRow() => openRows.Any(row => freeInRow[row] >= Quantity);

    private void MarkTaken(int index)
    {
        if (state[index] == Free)
        {
            freeInRow[index / Venue.SeatsPerRow]--;
        }

        state[index] = Taken;
    }

    private void MarkFree(int index)
    {
        state[index] = Free;
        var row = index / Venue.SeatsPerRow;
        freeInRow[row]++;
        if (freeInRow[row] >= Quantity && !isOpen[row])
        {
            isOpen[row] = true;
            openRows.Add(row);
        }
    }

    private void CloseRow(int slot)
    {
        var row = openRows[slot];
        isOpen[row] = false;
        openRows[slot] = openRows[^1];
        openRows.RemoveAt(openRows.Count - 1);
    }
}
