using System.Collections;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ticketing.ServiceDefaults.Http;

/// <summary>
/// Keeps the caller's <c>X-Correlation-Id</c> (or creates one), puts it on the response, the log scope and
/// the current trace, so one fan's request can be found in every service's logs. A new id is the request's W3C trace
/// id (32 hex digits, as Marten's event metadata records it), so a log line, a stored event and a trace share it; with
/// no trace at all it is a random GUID. The trace id costs nothing more: the trace is started before this runs, and a
/// GUID reads the kernel's random source on every request.
/// </summary>
public sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    public const string HeaderName = "X-Correlation-Id";
    public const string ItemKey = "CorrelationId";
    private const int MaxLength = 128;

    public async Task InvokeAsync(HttpContext context)
    {
        var activity = Activity.Current;
        var correlationId = context.Request.Headers[HeaderName].ToString();
        if (!IsAcceptable(correlationId))
        {
            correlationId = activity is { TraceId: var traceId } && traceId != default ? traceId.ToHexString() : Guid.NewGuid().ToString("N");
            context.Request.Headers[HeaderName] = correlationId;
        }

        context.Items[ItemKey] = correlationId;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("correlation.id", correlationId); // only on recorded spans: an unsampled one is never exported
        }

        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            context.Response.Headers[HeaderName] = (string)context.Items[ItemKey]!;
            return Task.CompletedTask;
        }, context);

        using (logger.BeginScope(new CorrelationScope(correlationId)))
        {
            await next(context);
        }
    }

    // A client-chosen id is kept only when it is short and printable, so it cannot forge log lines.
    private static bool IsAcceptable(string value) =>
        value.Length is > 0 and <= MaxLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    /// <summary>The log scope's one property, <c>CorrelationId</c>, without a dictionary per request.</summary>
    private sealed class CorrelationScope(string correlationId) : IReadOnlyList<KeyValuePair<string, object>>
    {
        public int Count => 1;

        public KeyValuePair<string, object> this[int index] =>
            index == 0 ? new(ItemKey, correlationId) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            yield return this[0];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"CorrelationId:{correlationId}";
    }
}
