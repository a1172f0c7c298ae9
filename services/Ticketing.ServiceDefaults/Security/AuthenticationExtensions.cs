using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Ticketing.ServiceDefaults.Security;

public static class AuthenticationExtensions
{
    /// <summary>What every token must pass, whoever issued it: signed, issuer, audience and lifetime checked (30 s skew).</summary>
    public static TokenValidationParameters TokenValidation(string roleClaim) => new()
    {
        NameClaimType = "sub",
        RoleClaimType = roleClaim,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    /// <summary><see cref="TokenValidation"/> for the development issuer's HMAC-SHA256 tokens signed with <paramref name="key"/>.</summary>
    public static TokenValidationParameters DevelopmentTokenValidation(SymmetricSecurityKey key, string roleClaim)
    {
        var parameters = TokenValidation(roleClaim);
        parameters.ValidIssuer = AuthOptions.DevelopmentIssuerName;
        parameters.ValidAudience = AuthOptions.DevelopmentAudience;
        parameters.IssuerSigningKey = key;
        parameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        return parameters;
    }

    /// <summary>
    /// JWT bearer authentication and the <see cref="Policies"/>, the same in the gateway and every service, so a
    /// service reached directly refuses what the gateway would. <c>Auth:Authority</c> (+ <c>Auth:Audience</c>)
    /// selects a real OpenID Connect issuer; otherwise tokens of the development issuer are accepted when
    /// <c>Auth:SigningKey</c> is set, and no token at all when it is not. 401 and 403 are problem details.
    /// </summary>
    public static IHostApplicationBuilder AddTicketingAuthentication(this IHostApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section));
        // A bad key stops the process at start, not at the first request.
        var developmentKey = string.IsNullOrWhiteSpace(auth.SigningKey) ? null : DevelopmentTokens.Key(auth.SigningKey);

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            // Nothing reads the token back from the authentication properties (the gateway forwards the header itself):
            // storing it cost every authenticated request a dictionary and two strings.
            options.SaveToken = false;
            // Valid tokens are remembered until they expire (a waiting room's status polls repeat the same token).
            options.TokenHandlers.Clear();
            options.TokenHandlers.Add(new RememberingTokenHandler(TimeProvider.System) { MapInboundClaims = false });
            options.TokenValidationParameters = TokenValidation(auth.RoleClaim);
            if (!string.IsNullOrWhiteSpace(auth.Authority))
            {
                options.Authority = auth.Authority;
                options.Audience = auth.Audience;
                options.RequireHttpsMetadata = auth.RequireHttpsMetadata;
            }
            else if (developmentKey is not null)
            {
                options.TokenValidationParameters = DevelopmentTokenValidation(developmentKey, auth.RoleClaim);
            }
            else
            {
                // Nothing configured: no token can be valid, so only anonymous routes answer.
                options.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => [];
            }

            options.Events = new JwtBearerEvents
            {
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    var detail = context.AuthenticateFailure switch
                    {
                        SecurityTokenExpiredException => "The access token has expired; get a new one.",
                        null when string.IsNullOrEmpty(context.Request.Headers.Authorization) => "Send an access token: Authorization: Bearer <token>.",
                        _ => "The access token is not valid.",
                    };
                    context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
                    await WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Sign in first", detail);
                },
                OnForbidden = context => WriteProblemAsync(
                    context.HttpContext, StatusCodes.Status403Forbidden, "Not allowed", "Your role may not do this."),
            };
        });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Fan, policy => policy.RequireAuthenticatedUser().RequireClaim("sub").RequireRole(Policies.FanRole))
            .AddPolicy(Policies.Operator, policy => policy.RequireAuthenticatedUser().RequireClaim("sub").RequireRole(Policies.OperatorRole))
            .AddPolicy(Policies.FanOrOperator, policy => policy.RequireAuthenticatedUser().RequireClaim("sub")
                .RequireRole(Policies.FanRole, Policies.OperatorRole));
        return builder;
    }

    private static async Task WriteProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
