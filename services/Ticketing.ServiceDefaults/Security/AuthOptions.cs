namespace Ticketing.ServiceDefaults.Security;

/// <summary>
/// The <c>Auth</c> section. In production <see cref="Authority"/> and <see cref="Audience"/> name an OpenID Connect
/// issuer whose signing keys are discovered; locally and in tests tokens come from the gateway's development
/// issuer, signed with <see cref="SigningKey"/>.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Issuer and audience of development tokens.</summary>
    public const string DevelopmentIssuerName = "ticketing-dev";
    public const string DevelopmentAudience = "ticketing";

    public string? Authority { get; set; }

    public string? Audience { get; set; }

    /// <summary>Base64, at least 32 bytes: the HMAC-SHA256 key of development tokens.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The claim that carries the role (<c>role</c>; some issuers use <c>roles</c>).</summary>
    public string RoleClaim { get; set; } = "role";

    public bool RequireHttpsMetadata { get; set; } = true;

    public DevelopmentIssuerOptions DevelopmentIssuer { get; set; } = new();
}

public sealed class DevelopmentIssuerOptions
{
    /// <summary>Serve <c>POST /auth/token</c> at the gateway. Never in production.</summary>
    public bool Enabled { get; set; }

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);
}
