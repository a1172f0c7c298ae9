namespace Ticketing.Testing;

/// <summary>The seat race at the start of a drop, as the scaling and chaos suites run it through the gateway.</summary>
public static class SeatRace
{
    /// <summary>
    /// Fan <c>i</c> (<c>fan-i</c>) wants seat <c>i</c> of <paramref name="seats"/>, and a rival (<c>rival-i</c>) wants
    /// each of the first <paramref name="rivals"/> seats at the same moment, all in a random order,
    /// <paramref name="parallelism"/> at a time; <paramref name="tryHold"/> answers a hold id, or null when the seat went
    /// to the other. Returns the holds placed.
    /// </summary>
    public static async Task<IReadOnlyCollection<(string Fan, Guid HoldId, string Seat)>> HoldsAsync(
        IReadOnlyList<string> seats, int fans, int rivals, int parallelism, Func<string, string, Task<Guid?>> tryHold)
    {
        var wishes = Enumerable.Range(0, fans).Select(i => (Fan: $"fan-{i}", Seat: seats[i]))
            .Concat(Enumerable.Range(0, rivals).Select(i => (Fan: $"rival-{i}", Seat: seats[i])))
            .OrderBy(_ => Random.Shared.Next())
            .ToList();
        var holds = new ConcurrentBag<(string Fan, Guid HoldId, string Seat)>();
        await Parallel.ForEachAsync(wishes, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (wish, _) =>
        {
            if (await tryHold(wish.Fan, wish.Seat) is { } holdId)
            {
                holds.Add((wish.Fan, holdId, wish.Seat));
            }
        });
        return holds;
    }
}
