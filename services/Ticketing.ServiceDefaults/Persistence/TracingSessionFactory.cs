using System.Diagnostics;
using Marten;

namespace Ticketing.ServiceDefaults.Persistence;

/// <summary>
/// Opens lightweight sessions whose events carry the W3C <c>traceparent</c> of the work that appended them,
/// so the outbox relay can continue the same trace when it publishes them later, from another thread.
/// </summary>
public sealed class TracingSessionFactory(IDocumentStore store) : ISessionFactory
{
    public const string TraceParentHeader = "traceparent";

    public IQuerySession QuerySession() => store.QuerySession();

    public IDocumentSession OpenSession()
    {
        var session = store.LightweightSession();
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
        {
            session.SetHeader(TraceParentHeader, activity.Id!);
            session.CorrelationId = activity.TraceId.ToString();
        }

        return session;
    }
}
