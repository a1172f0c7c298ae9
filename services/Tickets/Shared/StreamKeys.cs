using System.Text;
using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.Tickets.Shared;

/// <summary>
/// Ids derived from natural keys (name-based UUIDs, RFC 9562 version 8 over SHA-256), the same on every instance and
/// every replay: a concert's seat ledger stream is found without a lookup, and selling a hold twice issues the same
/// ticket ids.
/// </summary>
/// <remarks>
/// A ticket's id begins with the time its hold was placed (<see cref="NameBasedIds.TimeOrdered"/>): a drop's tickets are
/// added at the right edge of the tickets' primary key, not all over it, however many tickets were sold before. (Ids
/// are fixed when the seats are sold and kept in the sale's event: tickets sold before keep the hashed ids they were
/// given.)
/// </remarks>
public static class StreamKeys
{
    public static Guid SeatLedger(Guid concertId) => Derive(concertId, "seat-ledger");

    public static Guid Ticket(Guid holdId, string seatId) =>
        NameBasedIds.CreatedAt(holdId) is { } placedAt
            ? NameBasedIds.TimeOrdered(placedAt, $"ticket:{holdId}:{seatId}")
            : Derive(holdId, "ticket:" + seatId);

    /// <summary>SHA-256 of the scope's 16 bytes (big-endian) and the name's UTF-8 (<see cref="NameBasedIds.Hashed(ReadOnlySpan{byte})"/>).</summary>
    private static Guid Derive(Guid scope, string name)
    {
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetMaxByteCount(name.Length)];
        scope.TryWriteBytes(input, bigEndian: true, out _);
        var length = 16 + Encoding.UTF8.GetBytes(name, input[16..]);
        return NameBasedIds.Hashed(input[..length]);
    }
}
