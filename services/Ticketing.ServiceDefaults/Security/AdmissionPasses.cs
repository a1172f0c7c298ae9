using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ticketing.ServiceDefaults.Security;

/// <summary>Section <c>AdmissionPasses</c>: the key the Queue service signs passes with, and Tickets and Orders verify them with.</summary>
public sealed class AdmissionPassOptions
{
    public const string Section = "AdmissionPasses";

    /// <summary>HMAC-SHA256 key, base64, at least 32 bytes; the same in Queue, Tickets and Orders.</summary>
    public string Key { get; set; } = "";
}

/// <summary>What an admission pass says: this fan may buy in this drop until <c>ExpiresAt</c>.</summary>
public sealed record AdmissionPassClaims(Guid DropId, Guid EntryId, string FanId, DateTimeOffset ExpiresAt);

/// <summary>Why a pass was refused (or that it was not).</summary>
public enum AdmissionPassVerdict
{
    Valid,
    Missing,
    Malformed,
    OtherFan,
    OtherDrop,
    Expired,
}

/// <summary>
/// Admission passes of the waiting room: <see cref="SignedCodes"/> with prefix <c>AP1</c> and the shared key, the
/// payload <c>dropId|entryId|expiresAtUnixSeconds|fanId</c>. The Queue service issues them; Tickets' hold endpoint and
/// Orders' checkout verify them without calling the Queue: one implementation, so a pass means the same everywhere.
/// </summary>
public sealed class AdmissionPasses
{
    public const string HeaderName = "X-Admission-Pass";

    /// <summary>The problem's <c>reason</c> when a drop with a waiting room is reached without a valid pass.</summary>
    public const string AdmissionRequiredReason = "admission_required";

    private const string Prefix = "AP1";
    private const int MaxPassLength = 512;
    private readonly SignedCodes codes;

    public AdmissionPasses(IOptions<AdmissionPassOptions> options)
        : this(options.Value.Key)
    {
    }

    public AdmissionPasses(string base64Key)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64Key);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("AdmissionPasses:Key must be base64.");
        }

        if (key.Length < 32)
        {
            throw new InvalidOperationException("AdmissionPasses:Key must be a base64 key of at least 32 bytes.");
        }

        codes = new SignedCodes(Prefix, key, MaxPassLength);
    }

    public string Issue(AdmissionPassClaims claims) =>
        codes.Sign($"{claims.DropId:N}|{claims.EntryId:N}|{claims.ExpiresAt.ToUnixTimeSeconds()}|{claims.FanId}");

    /// <summary>The claims of a genuine pass, or null for anything forged, altered or malformed (expiry not checked).</summary>
    public AdmissionPassClaims? Read(string? pass)
    {
        if (codes.Open(pass) is not { } payload)
        {
            return null;
        }

        var fields = payload.Split('|', 4);
        return fields.Length == 4
            && Guid.TryParseExact(fields[0], "N", out var dropId)
            && Guid.TryParseExact(fields[1], "N", out var entryId)
            && long.TryParse(fields[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var expires)
            && expires is > 0 and < 253402300800
                ? new AdmissionPassClaims(dropId, entryId, fields[3], DateTimeOffset.FromUnixTimeSeconds(expires))
                : null;
    }

    /// <summary>Whether <paramref name="pass"/> lets <paramref name="fanId"/> buy in <paramref name="dropId"/> at <paramref name="now"/>.</summary>
    public AdmissionPassVerdict Verify(string? pass, string fanId, Guid dropId, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(pass))
        {
            return AdmissionPassVerdict.Missing;
        }

        return Read(pass) switch
        {
            null => AdmissionPassVerdict.Malformed,
            { } claims when claims.DropId != dropId => AdmissionPassVerdict.OtherDrop,
            { } claims when !string.Equals(claims.FanId, fanId, StringComparison.Ordinal) => AdmissionPassVerdict.OtherFan,
            { } claims when claims.ExpiresAt <= now => AdmissionPassVerdict.Expired,
            _ => AdmissionPassVerdict.Valid,
        };
    }

    /// <summary>
    /// Checks the request's <c>X-Admission-Pass</c> header for <paramref name="dropId"/>: null when one of the passes
    /// it carries (several may be sent, comma-separated or as repeated headers, one per drop) is the caller's valid
    /// pass for that drop, otherwise the 403 problem with <c>reason: "admission_required"</c> to answer.
    /// </summary>
    public IResult? Refusal(HttpContext context, string fanId, Guid dropId, DateTimeOffset now)
    {
        var verdict = AdmissionPassVerdict.Missing;
        foreach (var value in context.Request.Headers[HeaderName])
        {
            foreach (var pass in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var found = Verify(pass, fanId, dropId, now);
                if (found == AdmissionPassVerdict.Valid)
                {
                    return null;
                }

                // Report what was wrong with a pass for this drop rather than with a pass for another one.
                if (verdict is AdmissionPassVerdict.Missing or AdmissionPassVerdict.OtherDrop)
                {
                    verdict = found;
                }
            }
        }

        var detail = verdict switch
        {
            AdmissionPassVerdict.Expired => "Your admission pass for this drop has expired.",
            AdmissionPassVerdict.OtherFan => "This admission pass was issued to someone else.",
            AdmissionPassVerdict.Malformed => "The admission pass is not valid.",
            _ => "This drop has a waiting room: join the queue and send the admission pass you get in the X-Admission-Pass header.",
        };
        return TypedResults.Problem(
            title: "Admission required",
            detail: detail,
            statusCode: StatusCodes.Status403Forbidden,
            extensions: new Dictionary<string, object?> { ["reason"] = AdmissionRequiredReason, ["dropId"] = dropId });
    }
}

public static class AdmissionPassExtensions
{
    /// <summary>Registers <see cref="AdmissionPasses"/> with its key from <c>AdmissionPasses:Key</c>; a missing or short key stops the process at start.</summary>
    public static IHostApplicationBuilder AddAdmissionPasses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdmissionPassOptions>().BindConfiguration(AdmissionPassOptions.Section).ValidateOnStart()
            .Validate(options => IsUsableKey(options.Key), "AdmissionPasses:Key (base64, 32+ bytes, shared by Queue, Tickets and Orders) is required.");
        builder.Services.AddSingleton<AdmissionPasses>();
        return builder;
    }

    private static bool IsUsableKey(string key)
    {
        Span<byte> bytes = stackalloc byte[256];
        return Convert.TryFromBase64String(key, bytes, out var length) && length >= 32;
    }
}
