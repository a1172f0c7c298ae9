using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ticketing.ServiceDefaults.Http;

/// <summary>
/// Problem responses by status, <c>reason</c> code and route (meter <c>Ticketing.Http</c>): on drop day, how many
/// fans were told "sold out", "over the limit", "admission required" or "invalid", and where. Counted by the
/// <see cref="ProblemJsonWriter"/>, which writes every problem of the process.
/// </summary>
public sealed partial class ProblemMetrics
{
    public const string MeterName = "Ticketing.Http";

    private readonly Counter<long> problems;

    public ProblemMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        problems = meter.CreateCounter<long>(
            "ticketing.http.problems", "{response}", "Problem-details responses, by status, reason code and route.");
    }

    public void Written(HttpContext context, ProblemDetails problem, int status) =>
        problems.Add(1,
            new KeyValuePair<string, object?>("status", status),
            new KeyValuePair<string, object?>("reason", ReasonOf(problem)),
            new KeyValuePair<string, object?>("route", (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "none"));

    /// <summary>
    /// The problem's <c>reason</c> code (<c>validation</c> for field errors without one, <c>none</c> otherwise). Codes are
    /// the platform's own snake_case words; anything else is counted as <c>other</c>, so a label never takes a value
    /// from a request.
    /// </summary>
    public static string ReasonOf(ProblemDetails problem)
    {
        var reason = problem.Extensions.TryGetValue("reason", out var value)
            ? value switch
            {
                string text => text,
                JsonElement { ValueKind: JsonValueKind.String } json => json.GetString(),
                _ => null,
            }
            : null;
        return reason switch
        {
            null => problem is HttpValidationProblemDetails ? "validation" : "none",
            _ when ReasonCode().IsMatch(reason) => reason,
            _ => "other",
        };
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex ReasonCode();
}
