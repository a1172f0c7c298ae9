using System.Security.Cryptography;
using System.Text;

namespace Ticketing.Queue.Fairness;

/// <summary>
/// The draw that gives every fan who joined a room before its sale opened a uniformly random place, in a way anyone
/// can check afterwards (a commit-reveal scheme):
/// <list type="number">
/// <item>When the room is set up, 32 random bytes are chosen as its seed; the commitment, the SHA-256 of the seed
/// (lowercase hex), is published at once (<c>GET /api/queue/{dropId}/draw</c>). The seed stays secret.</item>
/// <item>When the sale opens, the entries that joined before it (the pre-opening entries) are fixed; each entry id
/// is a random UUID the service chose, published then in join order. No fan can choose theirs.</item>
/// <item>Each pre-opening entry's draw key is HMAC-SHA256(key: the seed bytes, message: the entry id as its 36
/// lowercase characters with dashes, ASCII). The drawn order is the entries sorted by draw key, compared as unsigned
/// big-endian byte strings (ties, probability 2^-256, by the entry id's text).</item>
/// <item>The seed is published with the list. Anyone checks SHA-256(seed) = commitment and sorts the list again.</item>
/// </list>
/// HMAC-SHA256 under a secret uniformly random key is a pseudorandom function, so the keys are independent uniform
/// values and sorting by them is a uniformly random permutation (as a Fisher-Yates shuffle driven by the same PRF
/// would be), unknown to anyone, the service included, until the seed was fixed, which happened before the entries were.
/// </summary>
public static class Draw
{
    public const string Algorithm = "queue-draw-v1";

    public const string AlgorithmText =
        "queue-draw-v1: seed = 32 random bytes chosen when the room was set up; commitment = lowercase hex SHA-256(seed), published then. " +
        "The pre-opening entries are the room's entries that joined before its sale opened, listed in join order. " +
        "key(entry) = HMAC-SHA256(key = seed bytes, message = ASCII of the entry id in its 36-character lowercase form with dashes). " +
        "Drawn order = pre-opening entries sorted ascending by key, compared bytewise as unsigned big-endian numbers (ties by entry id text). " +
        "Queue order = the drawn order, then the entries that joined after the opening in join order. Fans are admitted in queue order.";

    /// <summary>A fresh secret seed, hex.</summary>
    public static string NewSeed() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The commitment to <paramref name="seedHex"/>: lowercase hex SHA-256 of its bytes.</summary>
    public static string Commitment(string seedHex) => Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(seedHex)));

    /// <summary>The draw key of one entry.</summary>
    public static byte[] Key(byte[] seed, Guid entryId) => HMACSHA256.HashData(seed, Encoding.ASCII.GetBytes(entryId.ToString("D")));

    /// <summary>The drawn order of <paramref name="preOpening"/> under <paramref name="seedHex"/>.</summary>
    public static IReadOnlyList<Guid> Order(string seedHex, IReadOnlyList<Guid> preOpening)
    {
        var seed = Convert.FromHexString(seedHex);
        var keyed = preOpening.Select(id => (Id: id, Key: Key(seed, id))).ToArray();
        Array.Sort(keyed, (a, b) =>
        {
            var byKey = a.Key.AsSpan().SequenceCompareTo(b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Id.ToString("D"), b.Id.ToString("D"));
        });
        return keyed.Select(entry => entry.Id).ToArray();
    }
}
