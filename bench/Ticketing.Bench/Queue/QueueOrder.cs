using System.Security.Cryptography;
using System.Text;
using Ticketing.Bench.Api;

namespace Ticketing.Bench.Queue;

/// <summary>The queue order the benchmark expects, as fan indices; how many fans were drawn; whether the seed matches its commitment.</summary>
internal sealed record ExpectedOrder(IReadOnlyList<int> Fans, int Drawn, bool CommitmentHolds);

/// <summary>
/// The queue order recomputed from a room's published draw, as any fan may (issue 16's verifiable draw, algorithm
/// <c>queue-draw-v1</c> as the draw publishes it): each pre-opening entry's key is HMAC-SHA256 under the seed of its
/// id's 36-character text; the drawn order sorts the keys as unsigned big-endian bytes (ties by the id's text).
/// </summary>
internal static class QueueOrder
{
    /// <param name="entries">Each fan's entry id, by fan index.</param>
    public static ExpectedOrder Recompute(PublishedDraw draw, IReadOnlyList<Guid> entries)
    {
        var seed = Convert.FromHexString(draw.Seed ?? throw new InvalidOperationException("The room is not drawn yet."));
        var keyed = (draw.PreOpeningEntryIds ?? []).Select(id => (Text: id.ToString("D"), Key: HMACSHA256.HashData(seed, Encoding.ASCII.GetBytes(id.ToString("D"))))).ToArray();
        Array.Sort(keyed, (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key) is var byKey and not 0 ? byKey : string.CompareOrdinal(a.Text, b.Text));

        var fanOf = entries.Select((entry, fan) => (entry, fan)).ToDictionary(pair => pair.entry.ToString("D"), pair => pair.fan);
        var drawn = keyed.Where(entry => fanOf.ContainsKey(entry.Text)).Select(entry => fanOf[entry.Text]).ToList();
        var inDraw = drawn.ToHashSet();

        // Fans who joined after the opening queue behind the drawn ones in arrival order; a sale of fewer seats than
        // fans never reaches them, so the benchmark keeps them in its own order.
        var order = drawn.Concat(Enumerable.Range(0, entries.Count).Where(fan => !inDraw.Contains(fan))).ToList();
        return new ExpectedOrder(order, drawn.Count, Convert.ToHexStringLower(SHA256.HashData(seed)) == draw.Commitment);
    }
}
