using Microsoft.Extensions.Options;
using Ticketing.ServiceDefaults.Http;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Gateway.Security;

public sealed record TokenRequest(string? UserName, string? Role);

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

/// <summary>
/// <c>POST /auth/token</c>: signs a token for any user name and role, for local use and tests. It answers only
/// when <c>Auth:DevelopmentIssuer:Enabled</c> is true; otherwise it is a 404 like any unknown route.
/// </summary>
public static class DevelopmentIssuerApi
{
    public static RouteHandlerBuilder MapDevelopmentIssuer(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/auth/token", IssueToken).NoStore().WithName(nameof(IssueToken)).WithSummary("Development only: a token for a user name and role.");

    public static IResult IssueToken(TokenRequest? request, IOptions<AuthOptions> options, TimeProvider time)
    {
        var auth = options.Value;
        if (!auth.DevelopmentIssuer.Enabled || string.IsNullOrWhiteSpace(auth.SigningKey))
        {
            return TypedResults.Problem(title: "Not found", detail: "There is no development token issuer here.", statusCode: StatusCodes.Status404NotFound);
        }

        var errors = new Dictionary<string, string[]>();
        if (request?.UserName is not { Length: > 0 and <= 100 } userName || !userName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@'))
        {
            errors["userName"] = ["1 to 100 letters, digits, '-', '_', '.' or '@'."];
        }

        if (!Policies.IsRole(request?.Role))
        {
            errors["role"] = [$"'{Policies.FanRole}' or '{Policies.OperatorRole}'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var lifetime = auth.DevelopmentIssuer.Lifetime;
        var token = DevelopmentTokens.Create(auth.SigningKey, request!.UserName!, request.Role!, time.GetUtcNow(), lifetime);
        return TypedResults.Ok(new TokenResponse(token, "Bearer", (int)lifetime.TotalSeconds));
    }
}
