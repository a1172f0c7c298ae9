using Microsoft.Extensions.Options;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Tickets.Admission;

public sealed class TicketSigningOptions
{
    /// <summary>HMAC-SHA256 key, base64, at least 32 bytes. Venue scanners hold the same key to verify offline.</summary>
    public string Key { get; set; } = "";
}

/// <summary>What a ticket code says once its signature checks out.</summary>
public sealed record TicketClaims(Guid TicketId, Guid ConcertId, string SeatId, string FanId);

/// <summary>
/// Ticket codes a venue scanner can verify without calling us: <see cref="SignedCodes"/> with prefix <c>TKT1</c>, the
/// payload <c>ticketId|concertId|seatId|holder</c>. Changing any character breaks the signature.
/// </summary>
public sealed class TicketCodes
{
    private const string Prefix = "TKT1";
    private readonly SignedCodes codes;

    public TicketCodes(IOptions<TicketSigningOptions> options)
    {
        var key = Convert.FromBase64String(options.Value.Key);
        if (key.Length < 32)
        {
            throw new InvalidOperationException("Tickets:Signing:Key must be a base64 key of at least 32 bytes.");
        }

        codes = new SignedCodes(Prefix, key, maxLength: 1023);
    }

    public string Issue(TicketClaims claims) => codes.Sign($"{claims.TicketId:N}|{claims.ConcertId:N}|{claims.SeatId}|{claims.FanId}");

    /// <summary>The claims of a genuine code, or null for anything forged, altered or malformed.</summary>
    public TicketClaims? Verify(string? code)
    {
        if (codes.Open(code) is not { } payload)
        {
            return null;
        }

        var fields = payload.Split('|', 4);
        return fields.Length == 4 && Guid.TryParseExact(fields[0], "N", out var ticketId) && Guid.TryParseExact(fields[1], "N", out var concertId)
            ? new TicketClaims(ticketId, concertId, fields[2], fields[3])
            : null;
    }
}
