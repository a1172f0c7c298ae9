using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Gateway.Tests;

/// <summary>
/// The token handler of the gateway and every service remembers valid tokens by their SHA-256, with their claims kept
/// compactly: what it answers from memory must be what a fresh validation answers, and only while the token is valid.
/// </summary>
public sealed class Remembered_tokens
{
    private static readonly TokenValidationParameters Parameters =
        AuthenticationExtensions.DevelopmentTokenValidation(DevelopmentTokens.Key(TestTokens.SigningKey), new AuthOptions().RoleClaim);

    [Fact]
    public async Task A_remembered_token_gives_the_identity_a_fresh_validation_gives_and_a_new_one_each_time()
    {
        var token = TestTokens.Fan("fan-remembered");
        var handler = new RememberingTokenHandler(TimeProvider.System) { MapInboundClaims = false };

        var fresh = await handler.ValidateTokenAsync(token, Parameters);
        var first = await handler.ValidateTokenAsync(new string(token.AsSpan()), Parameters);
        var second = await handler.ValidateTokenAsync(token, Parameters);

        Assert.True(fresh.IsValid && first.IsValid && second.IsValid);
        Assert.Equal(1, handler.Count);
        Assert.Equal(Describe(fresh.ClaimsIdentity), Describe(first.ClaimsIdentity));
        Assert.Equal(fresh.ClaimsIdentity.GetType(), first.ClaimsIdentity.GetType());
        Assert.Equal((fresh.SecurityToken.ValidFrom, fresh.SecurityToken.ValidTo, fresh.SecurityToken.Issuer), (first.SecurityToken.ValidFrom, first.SecurityToken.ValidTo, first.SecurityToken.Issuer));
        Assert.Equal((fresh.Issuer, fresh.TokenType), (first.Issuer, first.TokenType));
        Assert.Equal("fan-remembered", new ClaimsPrincipal(first.ClaimsIdentity).Identity!.Name);
        Assert.True(new ClaimsPrincipal(first.ClaimsIdentity).IsInRole(Policies.FanRole));

        // Each request's own identity: a claim added to one is not in the next.
        first.ClaimsIdentity.AddClaim(new Claim("added", "by a handler"));
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Null(second.ClaimsIdentity.FindFirst("added"));
        Assert.Equal(Describe(fresh.ClaimsIdentity), Describe(second.ClaimsIdentity));
    }

    [Fact]
    public async Task A_remembered_token_is_refused_from_its_expiry_on()
    {
        var clock = new AdjustableClock();
        var handler = new RememberingTokenHandler(clock) { MapInboundClaims = false };
        var token = DevelopmentTokens.Create(TestTokens.SigningKey, "fan-expiring", Policies.FanRole, DateTimeOffset.UtcNow.AddMinutes(-59), TimeSpan.FromHours(1));
        var parameters = Parameters.Clone();
        parameters.LifetimeValidator = (notBefore, expires, _, _) => clock.GetUtcNow().UtcDateTime < expires;

        Assert.True((await handler.ValidateTokenAsync(token, parameters)).IsValid);
        clock.Jump(TimeSpan.FromMinutes(2));

        Assert.False((await handler.ValidateTokenAsync(token, parameters)).IsValid);
    }

    [Fact]
    public async Task A_token_changed_by_one_character_is_validated_afresh_and_refused()
    {
        var handler = new RememberingTokenHandler(TimeProvider.System) { MapInboundClaims = false };
        var token = TestTokens.Fan("fan-altered");
        Assert.True((await handler.ValidateTokenAsync(token, Parameters)).IsValid);

        var signature = token[(token.LastIndexOf('.') + 1)..];
        var altered = token[..(token.Length - signature.Length)] + (signature[0] == 'A' ? 'B' : 'A') + signature[1..];
        var tampered = TestTokens.TamperedToOperator("fan-altered");

        Assert.False((await handler.ValidateTokenAsync(altered, Parameters)).IsValid);
        Assert.False((await handler.ValidateTokenAsync(tampered, Parameters)).IsValid);
        Assert.Equal(1, handler.Count);
    }

    private static string[] Describe(ClaimsIdentity identity) =>
    [
        $"{identity.AuthenticationType}|{identity.NameClaimType}|{identity.RoleClaimType}|{identity.Label}|{identity.IsAuthenticated}",
        .. identity.Claims.Select(claim => $"{claim.Type}={claim.Value}|{claim.ValueType}|{claim.Issuer}|{claim.OriginalIssuer}|{claim.Properties.Count}"),
    ];
}
