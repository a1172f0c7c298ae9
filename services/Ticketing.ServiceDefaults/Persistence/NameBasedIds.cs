using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Ticketing.ServiceDefaults.Persistence;

/// <summary>
/// Ids derived from a name (RFC 9562 version 8 UUIDs over SHA-256): the same on every instance, every replay and every
/// copy of a message, so that a write made twice names the same row and the second is refused or found.
/// </summary>
/// <remarks>
/// <see cref="Hashed"/> ids are spread evenly over the whole range, like random ones: each new row of a table keyed by
/// them lands on any page of its index, and once the index is larger than memory most inserts and look-ups read a page
/// from the disk. <see cref="TimeOrdered"/> ids begin with a time, as version 7 UUIDs do, so the rows of the last minutes
/// share the few pages at the index's right edge, wherever the table has grown to.
/// </remarks>
public static class NameBasedIds
{
    /// <summary>The first 16 bytes of SHA-256 of the name's UTF-8, marked version 8.</summary>
    public static Guid Hashed(string name) => Hashed(Encoding.UTF8.GetBytes(name));

    /// <summary>The first 16 bytes of SHA-256 of the name's bytes, marked version 8.</summary>
    public static Guid Hashed(ReadOnlySpan<byte> name)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(name, hash);
        return Marked(hash[..16]);
    }

    /// <summary>
    /// <see cref="Hashed(string)"/> with the unix milliseconds of <paramref name="time"/> in its first 48 bits (in the
    /// place and byte order of a version 7 UUID's): 74 bits of the hash remain. Ids of later milliseconds sort after
    /// those of earlier ones in PostgreSQL's order of uuids (the order of their bytes).
    /// </summary>
    public static Guid TimeOrdered(DateTimeOffset time, string name) => TimeOrdered(time, Hashed(name));

    /// <summary><see cref="TimeOrdered(DateTimeOffset, string)"/> of the name whose <see cref="Hashed(string)"/> id is <paramref name="hashed"/>.</summary>
    public static Guid TimeOrdered(DateTimeOffset time, Guid hashed)
    {
        Span<byte> id = stackalloc byte[16];
        hashed.TryWriteBytes(id, bigEndian: true, out _);
        Span<byte> milliseconds = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(milliseconds, time.ToUnixTimeMilliseconds());
        milliseconds[2..].CopyTo(id);
        return new Guid(id, bigEndian: true);
    }

    /// <summary>When a version 7 UUID was made (its first 48 bits, unix milliseconds); null for any other version.</summary>
    public static DateTimeOffset? CreatedAt(Guid id)
    {
        if (id.Version != 7)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        Span<byte> milliseconds = stackalloc byte[8];
        bytes[..6].CopyTo(milliseconds[2..]);
        return DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(milliseconds));
    }

    private static Guid Marked(Span<byte> id)
    {
        id[6] = (byte)((id[6] & 0x0F) | 0x80); // version 8: custom
        id[8] = (byte)((id[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(id, bigEndian: true);
    }
}
