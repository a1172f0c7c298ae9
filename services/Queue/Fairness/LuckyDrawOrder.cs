namespace Ticketing.Queue.Fairness;

/// <summary>
/// The lucky draw's published algorithm: the waiting room's verifiable draw (<see cref="Draw"/>: commit to a secret
/// seed, key every entry by HMAC-SHA256 of its service-chosen random id, sort by key) over every entry of the draw.
/// The first <c>winners</c> entries of the drawn order get a purchase right; each right that lapses unclaimed passes to
/// the next entry of the drawn order. An entry's key depends only on the seed and its random id, never on when it
/// was made, so entering early or late does not change anyone's chance.
/// </summary>
public static class LuckyDrawOrder
{
    public const string Algorithm = "lucky-draw-v1";

    public const string AlgorithmText =
        "lucky-draw-v1: seed = 32 random bytes chosen when the draw was opened; commitment = lowercase hex SHA-256(seed), published then. " +
        "Each entry id is a random UUID the service chose when the fan entered; the entries are published (GET /api/queue/lucky-draws/{drawId}/entries). " +
        "key(entry) = HMAC-SHA256(key = seed bytes, message = ASCII of the entry id in its 36-character lowercase form with dashes). " +
        "Drawn order = all entries sorted ascending by key, compared bytewise as unsigned big-endian numbers (ties by entry id text). " +
        "The first `winners` entries of the drawn order get a purchase right; a right that lapses unclaimed passes to the next entry in the drawn order.";

    /// <summary>Every entry in drawn order.</summary>
    public static IReadOnlyList<Guid> Of(string seedHex, IReadOnlyList<Guid> entries) => Draw.Order(seedHex, entries);
}
