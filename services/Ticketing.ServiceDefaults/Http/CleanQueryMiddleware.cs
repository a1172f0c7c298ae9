using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Ticketing.ServiceDefaults.Http;

/// <summary>
/// Refuses a query string whose names or values hold control characters or broken Unicode (<c>?artist=a%00b</c>) with
/// a 400 naming the parameter, before any endpoint turns it into a database parameter PostgreSQL cannot take.
/// </summary>
public sealed class CleanQueryMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problemDetails)
    {
        if (context.Request.QueryString.HasValue)
        {
            Dictionary<string, string[]>? errors = null;
            foreach (var (name, values) in context.Request.Query)
            {
                if (!RequestText.IsClean(name) || values.Any(value => value is not null && !RequestText.IsClean(value)))
                {
                    errors ??= new Dictionary<string, string[]>(StringComparer.Ordinal);
                    errors[RequestText.IsClean(name) ? name : "query"] = [RequestText.Problem];
                }
            }

            if (errors is not null)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await problemDetails.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new HttpValidationProblemDetails(errors)
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "One or more validation errors occurred.",
                    },
                });
                return;
            }
        }

        await next(context);
    }
}
