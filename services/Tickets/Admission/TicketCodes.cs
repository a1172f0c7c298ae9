using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Ticketing.Tickets.Admission;

public sealed class TicketSigningOptions
{
    /// <summary>HMAC-SHA256 key, base64, at least 32 bytes. Venue scanners hold the same key to verify offline.</summary>
    public string Key { get; set; } = "";
}

/// <summary>What a ticket code says once its signature checks out.</summary>
public sealed record TicketClaims(Guid TicketId, Guid ConcertId, string SeatId, string FanId);

/// <summary>
/// Ticket codes a venue scanner can verify without calling us: <c>TKT1.{payload}.{signature}</c>, both
/// base64url, the payload <c>ticketId|concertId|seatId|holder</c>, the signature HMAC-SHA256 over
/// <c>TKT1.{payload}</c>. Changing any character breaks the signature.
/// </summary>
public sealed class TicketCodes
{
    private const string Prefix = "TKT1";
    private readonly byte[] key;

    public TicketCodes(IOptions<TicketSigningOptions> options)
    {
        key = Convert.FromBase64String(options.Value.Key);
        if (key.Length < 32)
        {
            throw new InvalidOperationException("Tickets:Signing:Key must be a base64 key of at least 32 bytes.");
        }
    }

    public string Issue(TicketClaims claims)
    {
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $"{claims.TicketId:N}|{claims.ConcertId:N}|{claims.SeatId}|{claims.FanId}"));
        var signed = $"{Prefix}.{payload}";
        return $"{signed}.{Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signed)))}";
    }

    /// <summary>The claims of a genuine code, or null for anything forged, altered or malformed.</summary>
    public TicketClaims? Verify(string? code)
    {
        if (code is not { Length: > 0 and < 1024 })
        {
            return null;
        }

        var parts = code.Split('.');
        if (parts.Length != 3 || parts[0] != Prefix)
        {
            return null;
        }

        byte[] signature;
        byte[] payload;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[2]);
            payload = Base64Url.DecodeFromChars(parts[1]);
        }
        catch (FormatException)
        {
            return null;
        }

        // Base64url has several spellings of the same bytes; only the canonical one is a valid code.
        if (Base64Url.EncodeToString(signature) != parts[2] || Base64Url.EncodeToString(payload) != parts[1])
        {
            return null;
        }

        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return null;
        }

        var fields = Encoding.UTF8.GetString(payload).Split('|', 4);
        return fields.Length == 4 && Guid.TryParseExact(fields[0], "N", out var ticketId) && Guid.TryParseExact(fields[1], "N", out var concertId)
            ? new TicketClaims(ticketId, concertId, fields[2], fields[3])
            : null;
    }
}
