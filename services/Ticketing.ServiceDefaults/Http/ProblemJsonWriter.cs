using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Ticketing.ServiceDefaults.Http;

/// <summary>
/// Writes every problem as <c>application/problem+json</c>, whatever the request's <c>Accept</c> says. The framework's
/// writer declines a request that accepts only <c>application/xml</c> or <c>text/html</c>: the problem-details service
/// then throws (a 500 with an empty body) or the status-code pages fall back to plain text. An API has one error format,
/// and a client that asked for another still gets a readable answer. It fills in what the framework's writer would
/// (status, title, the RFC 9110 type) and applies <see cref="ProblemDetailsOptions.CustomizeProblemDetails"/>.
/// </summary>
public sealed class ProblemJsonWriter(IOptions<JsonOptions> jsonOptions, IOptions<ProblemDetailsOptions> problemOptions, ProblemMetrics metrics) : IProblemDetailsWriter
{
    private static readonly Dictionary<int, string> Types = new()
    {
        [400] = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        [401] = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        [403] = "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        [404] = "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        [405] = "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        [406] = "https://tools.ietf.org/html/rfc9110#section-15.5.7",
        [408] = "https://tools.ietf.org/html/rfc9110#section-15.5.9",
        [409] = "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        [412] = "https://tools.ietf.org/html/rfc9110#section-15.5.13",
        [413] = "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        [415] = "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        [422] = "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        [429] = "https://tools.ietf.org/html/rfc6585#section-4",
        [500] = "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        [502] = "https://tools.ietf.org/html/rfc9110#section-15.6.3",
        [503] = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        [504] = "https://tools.ietf.org/html/rfc9110#section-15.6.5",
    };

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        var status = problem.Status ?? http.Response.StatusCode;
        problem.Status = status;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status);
        problem.Type ??= Types.GetValueOrDefault(status);
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        metrics.Written(http, problem, status);
        return new ValueTask(http.Response.WriteAsJsonAsync(
            problem, problem.GetType(), jsonOptions.Value.SerializerOptions, "application/problem+json", http.RequestAborted));
    }
}
