using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ticketing.ServiceDefaults.Security;

/// <summary>Mints and describes the HMAC-SHA256 tokens of the development issuer (and of tests).</summary>
public static class DevelopmentTokens
{
    public const int MinimumKeyBytes = 32;

    /// <summary>The signing key from its base64 text; fails saying why when it is not usable.</summary>
    public static SymmetricSecurityKey Key(string base64)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Auth:SigningKey must be base64.");
        }

        return bytes.Length >= MinimumKeyBytes
            ? new SymmetricSecurityKey(bytes)
            : throw new InvalidOperationException($"Auth:SigningKey must be at least {MinimumKeyBytes} bytes.");
    }

    /// <summary>A signed token for <paramref name="userName"/> in <paramref name="role"/>, valid from <paramref name="issuedAt"/> for <paramref name="lifetime"/>.</summary>
    public static string Create(string signingKey, string userName, string role, DateTimeOffset issuedAt, TimeSpan lifetime) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.DevelopmentIssuerName,
            Audience = AuthOptions.DevelopmentAudience,
            Subject = new ClaimsIdentity([new Claim("sub", userName), new Claim("role", role)]),
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = (issuedAt + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(Key(signingKey), SecurityAlgorithms.HmacSha256),
        });
}
