using System.Diagnostics;
using Npgsql;

namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// A service's outbox relay (<c>IntegrationEventRelay</c>, the Marten subscription <c>integration-event-relay</c>)
/// reads every event its service appends, after the fact. Before a measured phase the benchmark waits until it
/// has caught up with the last event, so that relaying earlier work (an inventory of 20,000 seat events) does
/// not run during the phase.
/// </summary>
public static class OutboxRelay
{
    private const string Query = """
        SELECT coalesce((SELECT max(seq_id) FROM mt_events), 0)
             - coalesce((SELECT max(last_seq_id) FROM mt_event_progression WHERE name LIKE 'integration-event-relay%'), 0)
        """;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Waits until the relay's progress reaches the newest event. Returns how many events it was still behind
    /// (0 when it caught up) and how long the wait took; gives up after <paramref name="timeout"/> without throwing.
    /// </summary>
    public static async Task<(long Behind, TimeSpan Waited)> WaitUntilCaughtUpAsync(
        NpgsqlDataSource database, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        await using var command = database.CreateCommand(Query);
        while (true)
        {
            var behind = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            if (behind <= 0 || Stopwatch.GetElapsedTime(start) > timeout)
            {
                return (Math.Max(0, behind), Stopwatch.GetElapsedTime(start));
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
