using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ticketing.ServiceDefaults.Security;

/// <summary>
/// Validates a bearer token once per process: a fan's token that passed is remembered until it expires, so the
/// many requests one fan makes in a drop (a hold, a checkout, the polls of its order) cost one signature check and
/// one parse instead of one each. Only successes are remembered, each request gets its own copy of the identity, and
/// a remembered token is refused from its expiry on exactly as a fresh validation would refuse it.
/// </summary>
public sealed class RememberingTokenHandler(TimeProvider time) : JsonWebTokenHandler
{
    /// <summary>The most tokens remembered; past it, the table is emptied and refills with the tokens in use.</summary>
    public const int Capacity = 200_000;

    private readonly ConcurrentDictionary<string, (TokenValidationResult Result, DateTimeOffset Expires)> valid = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow();
        if (valid.TryGetValue(token, out var remembered) && remembered.Expires > now)
        {
            return Copy(remembered.Result);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken { ValidTo: var validTo } && validTo > now.UtcDateTime)
        {
            if (valid.Count >= Capacity)
            {
                valid.Clear();
            }

            valid[token] = (result, new DateTimeOffset(validTo, TimeSpan.Zero));
        }

        return result;
    }

    private static TokenValidationResult Copy(TokenValidationResult result) => new()
    {
        IsValid = true,
        SecurityToken = result.SecurityToken,
        ClaimsIdentity = result.ClaimsIdentity.Clone(),
        Issuer = result.Issuer,
        TokenType = result.TokenType,
    };
}
