using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.ServiceDefaults.Http;

/// <summary>
/// Who the caller is: the authenticated user's <c>sub</c>, never a value from the body or a client header.
/// </summary>
public static class FanIdentity
{
    public static string? FanId(HttpContext context) => FanId(context.User);

    public static string? FanId(ClaimsPrincipal user)
    {
        var value = user.Identity?.IsAuthenticated == true ? user.FindFirst("sub")?.Value : null;
        return value is { Length: > 0 and <= 100 } ? value : null;
    }

    /// <summary>Operators see every fan's holds and orders.</summary>
    public static bool IsOperator(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true && context.User.IsInRole(Policies.OperatorRole);

    public static IResult Anonymous() => TypedResults.Problem(
        title: "Sign in first",
        detail: "This needs a signed-in fan.",
        statusCode: StatusCodes.Status401Unauthorized);
}
