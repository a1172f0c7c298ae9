using Microsoft.AspNetCore.Http;

namespace Ticketing.ServiceDefaults.Http;

/// <summary>
/// Who the caller is. Until the gateway's authentication lands, the fan id comes from the <c>X-Fan-Id</c>
/// header; switching to the authenticated user is the one line in <see cref="FanId"/>.
/// </summary>
public static class FanIdentity
{
    public const string Header = "X-Fan-Id";

    public static string? FanId(HttpContext context)
    {
        var value = context.Request.Headers[Header].ToString();
        return value is { Length: > 0 and <= 100 } ? value : null;
    }

    public static IResult Anonymous() => TypedResults.Problem(
        title: "Sign in first",
        detail: "This needs a signed-in fan.",
        statusCode: StatusCodes.Status401Unauthorized);
}
