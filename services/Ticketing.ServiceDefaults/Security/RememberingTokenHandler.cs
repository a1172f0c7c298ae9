using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ticketing.ServiceDefaults.Security;

/// <summary>
/// Validates a bearer token once per process: a fan's token that passed is remembered until it expires, so the
/// many requests one fan makes in a drop (a hold, a checkout, the polls of its order or place) cost one signature
/// check and one parse instead of one each. Only successes are remembered, each request gets its own identity, and
/// a remembered token is refused from its expiry on exactly as a fresh validation would refuse it.
/// <para>
/// What is remembered is small, since a drop's 100,000 fans are 100,000 tokens in every gateway instance: the token's
/// SHA-256 (not the token), its lifetime and its claims, with claim types, issuers and the values every token shares
/// kept once: about 0.7 KB a token instead of the 2.3 KB of the whole validation result, and a remembered check
/// builds its identity from them in a third of the time the result's clone took (<c>Ticketing.Bench tokens</c>).
/// A token whose identity carries more than claims (an actor, a bootstrap context, claim properties) is not remembered.
/// </para>
/// </summary>
public sealed class RememberingTokenHandler(TimeProvider time) : JsonWebTokenHandler
{
    /// <summary>The most tokens remembered; past it, the table is emptied and refills with the tokens in use.</summary>
    public const int Capacity = 200_000;

    /// <summary>The most distinct shared strings (claim types, issuers, shared values) kept once; past it, new ones are kept per token.</summary>
    private const int MaxSharedStrings = 4_096;

    private readonly ConcurrentDictionary<TokenDigest, RememberedToken> valid = new();
    private readonly ConcurrentDictionary<string, string> shared = new(StringComparer.Ordinal);

    // Counted here: a ConcurrentDictionary's Count takes every lock of the table, and asked on every new token it made
    // the fans' first requests queue for those locks (the gateway's hottest lock in a 100,000-fan join).
    private int rememberedCount;
    private int sharedStrings;

    /// <summary>How many tokens are remembered now.</summary>
    public int Count => valid.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var digest = TokenDigest.Of(token);
        if (valid.TryGetValue(digest, out var remembered) && remembered.ValidTo > now)
        {
            return remembered.Result();
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken { ValidTo: var validTo } && validTo > now && Remember(result) is { } kept)
        {
            if (!valid.TryAdd(digest, kept))
            {
                valid[digest] = kept;
            }
            else if (Interlocked.Increment(ref rememberedCount) > Capacity)
            {
                Interlocked.Exchange(ref rememberedCount, 0);
                valid.Clear();
            }
        }

        return result;
    }

    private RememberedToken? Remember(TokenValidationResult result)
    {
        var identity = result.ClaimsIdentity;
        if (identity.Actor is not null || identity.BootstrapContext is not null || identity.Claims.Any(claim => claim.Properties.Count > 0))
        {
            return null;
        }

        var claims = identity.Claims.Select(claim => new RememberedClaim(
            Shared(claim.Type),
            claim.Type == identity.RoleClaimType || claim.Type is JwtRegisteredClaimNames.Iss or JwtRegisteredClaimNames.Aud ? Shared(claim.Value) : claim.Value,
            Shared(claim.ValueType),
            Shared(claim.Issuer),
            Shared(claim.OriginalIssuer))).ToArray();
        var token = result.SecurityToken;
        return new RememberedToken(
            new ValidatedToken(token.Id, Shared(token.Issuer), token.ValidFrom, token.ValidTo),
            claims,
            identity is CaseSensitiveClaimsIdentity,
            Shared(identity.AuthenticationType),
            Shared(identity.NameClaimType),
            Shared(identity.RoleClaimType),
            identity.Label,
            Shared(result.Issuer),
            Shared(result.TokenType));
    }

    /// <summary>The one kept copy of <paramref name="value"/> (kept now if there is room).</summary>
    [return: NotNullIfNotNull(nameof(value))]
    private string? Shared(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (shared.TryGetValue(value, out var kept))
        {
            return kept;
        }

        if (Volatile.Read(ref sharedStrings) >= MaxSharedStrings)
        {
            return value;
        }

        kept = shared.GetOrAdd(value, value);
        if (ReferenceEquals(kept, value))
        {
            Interlocked.Increment(ref sharedStrings);
        }

        return kept;
    }

    /// <summary>The SHA-256 of a token: what it is remembered by (a token cannot be made to match another's).</summary>
    private readonly record struct TokenDigest(UInt128 High, UInt128 Low)
    {
        public static TokenDigest Of(string token)
        {
            Span<UInt128> hash = stackalloc UInt128[2];
            SHA256.HashData(MemoryMarshal.AsBytes(token.AsSpan()), MemoryMarshal.AsBytes(hash));
            return new TokenDigest(hash[0], hash[1]);
        }
    }

    private readonly record struct RememberedClaim(string Type, string Value, string ValueType, string Issuer, string OriginalIssuer);

    /// <summary>A validated token's lifetime and issuer, which is what the bearer handler reads of it.</summary>
    private sealed class ValidatedToken(string id, string issuer, DateTime validFrom, DateTime validTo) : SecurityToken
    {
        public override string Id => id;

        public override string Issuer => issuer;

        public override SecurityKey? SecurityKey => null;

        public override SecurityKey? SigningKey { get; set; }

        public override DateTime ValidFrom => validFrom;

        public override DateTime ValidTo => validTo;

        public override string UnsafeToString() => $"{issuer} token {id}, valid {validFrom:O} to {validTo:O}";
    }

    private sealed record RememberedToken(
        ValidatedToken Token,
        RememberedClaim[] Claims,
        bool CaseSensitive,
        string? AuthenticationType,
        string NameClaimType,
        string RoleClaimType,
        string? Label,
        string? Issuer,
        string? TokenType)
    {
        public DateTime ValidTo => Token.ValidTo;

        /// <summary>A new identity for this request (handlers may add claims to it), as a fresh validation gives.</summary>
        public TokenValidationResult Result()
        {
            var identity = CaseSensitive
                ? new CaseSensitiveClaimsIdentity(AuthenticationType, NameClaimType, RoleClaimType) { Label = Label }
                : new ClaimsIdentity(AuthenticationType, NameClaimType, RoleClaimType) { Label = Label };
            foreach (var claim in Claims)
            {
                identity.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType, claim.Issuer, claim.OriginalIssuer, identity));
            }

            return new TokenValidationResult
            {
                IsValid = true,
                SecurityToken = Token,
                ClaimsIdentity = identity,
                Issuer = Issuer,
                TokenType = TokenType,
            };
        }
    }
}
