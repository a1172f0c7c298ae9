using System.Diagnostics.Metrics;

namespace Ticketing.ServiceDefaults.Batching;

/// <summary>Metrics of the shared write path (meter <c>Ticketing</c>), tagged with what a group writes.</summary>
public static class WriteMetrics
{
    private static readonly Meter Meter = new("Ticketing");

    private static readonly Histogram<int> GroupSize = Meter.CreateHistogram<int>(
        "ticketing.write.group.size", "{request}", "Requests decided and committed together in one group.");

    private static readonly Histogram<double> GroupDuration = Meter.CreateHistogram<double>(
        "ticketing.write.group.duration", "s", "Time to decide and commit one group.");

    private static readonly Counter<long> Isolated = Meter.CreateCounter<long>(
        "ticketing.write.group.isolated", "{group}", "Groups that failed and were taken again one request at a time.");

    private static readonly Counter<long> Conflicts = Meter.CreateCounter<long>(
        "ticketing.write.conflicts", "{conflict}", "Commits refused because a stream had moved past the version it was read at.");

    public static void Group(string name, int size, TimeSpan duration, bool isolated)
    {
        var tag = new KeyValuePair<string, object?>("ticketing.write", name);
        GroupSize.Record(size, tag);
        GroupDuration.Record(duration.TotalSeconds, tag);
        if (isolated)
        {
            Isolated.Add(1, tag);
        }
    }

    public static void Conflict(string name) => Conflicts.Add(1, new KeyValuePair<string, object?>("ticketing.write", name));
}
