using System.Security.Cryptography;
using System.Text;

namespace Ticketing.Tickets.Shared;

/// <summary>
/// Stream ids derived from natural keys (name-based UUIDs, RFC 9562 version 8 over SHA-256), so that the row
/// "A/1" of a concert, or one fan's allowance for a concert, always has the same stream without a lookup.
/// </summary>
public static class StreamKeys
{
    public static Guid Row(Guid concertId, string section, string row) => Derive(concertId, $"row:{section}/{row}");

    public static Guid FanAllowance(Guid concertId, string fanId) => Derive(concertId, "fan:" + fanId);

    private static Guid Derive(Guid scope, string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetMaxByteCount(name.Length)];
        scope.TryWriteBytes(input, bigEndian: true, out _);
        var length = 16 + Encoding.UTF8.GetBytes(name, input[16..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..length], hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC variant
        return new Guid(hash[..16], bigEndian: true);
    }
}
