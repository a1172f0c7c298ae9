using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Ticketing.ServiceDefaults.Security;

/// <summary>
/// Codes that others verify offline with a shared key (admission passes, ticket codes): <c>{prefix}.{payload}.{signature}</c>,
/// payload and signature base64url, the signature HMAC-SHA256 over <c>{prefix}.{payload}</c>. Any changed character
/// breaks the signature; only the canonical base64url spelling is accepted.
/// </summary>
/// <param name="prefix">The kind and version of code, e.g. <c>AP1</c>.</param>
/// <param name="key">The HMAC-SHA256 key.</param>
/// <param name="maxLength">The longest code read; a longer one is refused before any work.</param>
public sealed class SignedCodes(string prefix, byte[] key, int maxLength)
{
    /// <summary>The code carrying <paramref name="payload"/> (UTF-8).</summary>
    public string Sign(string payload)
    {
        var signed = $"{prefix}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload))}";
        return $"{signed}.{Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signed)))}";
    }

    /// <summary>The payload of a genuine code, or null for anything forged, altered or malformed.</summary>
    public string? Open(string? code)
    {
        if (code is not { Length: > 0 } || code.Length > maxLength)
        {
            return null;
        }

        var parts = code.Split('.');
        if (parts.Length != 3 || parts[0] != prefix)
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
        return CryptographicOperations.FixedTimeEquals(expected, signature) ? Encoding.UTF8.GetString(payload) : null;
    }
}
