using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ticketing.ServiceDefaults.Security;

/// <summary>
/// JWT validation that remembers tokens it found valid until they expire: a fan polling their place in a waiting
/// room every few seconds sends the same token each time, and checking its signature, issuer, audience and lifetime
/// again cost more than the answer itself (twice per request: at the gateway and at the service). Only valid tokens
/// are kept, each until its own <c>exp</c> (never longer), and at most <see cref="MaxEntries"/> (the cache starts over
/// when full); an invalid, expired or unknown token is validated in full as before.
/// </summary>
public sealed class CachingJsonWebTokenHandler : JsonWebTokenHandler
{
    public const int MaxEntries = 250_000;

    private readonly ConcurrentDictionary<string, (TokenValidationResult Result, DateTime ValidUntil)> valid = new(StringComparer.Ordinal);
    private readonly TimeProvider time;

    public CachingJsonWebTokenHandler(TimeProvider time)
    {
        this.time = time;
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (valid.TryGetValue(token, out var cached))
        {
            if (cached.ValidUntil > now)
            {
                return cached.Result;
            }

            valid.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { ValidTo: var expires } && expires > now)
        {
            if (valid.Count >= MaxEntries)
            {
                valid.Clear();
            }

            valid[token] = (result, expires);
        }

        return result;
    }
}
