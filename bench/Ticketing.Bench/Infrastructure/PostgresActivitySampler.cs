using Npgsql;

namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// Samples <c>pg_stat_activity</c> of one database at a fixed interval while a phase runs, and counts what its
/// backends were doing: state (active, idle, idle in transaction) and wait event (none = on CPU or between
/// waits). Counted over all samples, the shares show where the database spends its connections' time.
/// </summary>
public sealed class PostgresActivitySampler
{
    private const string Query = """
        SELECT coalesce(state, ''), coalesce(wait_event_type, ''), coalesce(wait_event, ''),
               CASE WHEN state = 'active' THEN left(regexp_replace(query, '\s+', ' ', 'g'), 100) ELSE '' END,
               count(*)::int
        FROM pg_stat_activity
        WHERE datname = @database AND pid <> pg_backend_pid()
        GROUP BY 1, 2, 3, 4
        """;

    private readonly Dictionary<(string State, string WaitType, string Wait), int> counts = [];
    private readonly Dictionary<string, int> activeStatements = [];

    public int Samples { get; private set; }
    public int MaxActive { get; private set; }

    /// <summary>Samples until <paramref name="cancellationToken"/> is cancelled (the end of the phase).</summary>
    public async Task RunAsync(NpgsqlDataSource dataSource, string database, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(Query, connection) { Parameters = { new("database", database) } };
            using var timer = new PeriodicTimer(interval);
            do
            {
                var active = 0;
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        var key = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                        var count = reader.GetInt32(4);
                        counts[key] = counts.GetValueOrDefault(key) + count;
                        if (key.Item1 == "active")
                        {
                            active += count;
                            activeStatements[reader.GetString(3)] = activeStatements.GetValueOrDefault(reader.GetString(3)) + count;
                        }
                    }
                }

                Samples++;
                MaxActive = Math.Max(MaxActive, active);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the phase is over
        }
    }

    /// <summary>The most common (state, wait) pairs with their average number of backends per sample.</summary>
    public IReadOnlyList<(string What, double Backends, double Share)> Top(int count)
    {
        var total = counts.Values.Sum();
        return counts
            .OrderByDescending(entry => entry.Value)
            .Take(count)
            .Select(entry => (Describe(entry.Key), (double)entry.Value / Math.Max(1, Samples), (double)entry.Value / Math.Max(1, total)))
            .ToList();
    }

    /// <summary>
    /// The statements most often seen running (state active, first 100 characters), with their average number of
    /// backends per sample: where the database's busy time goes, without pg_stat_statements.
    /// </summary>
    public IReadOnlyList<(string Statement, double Backends, double Share)> TopStatements(int count)
    {
        var total = activeStatements.Values.Sum();
        return activeStatements
            .OrderByDescending(entry => entry.Value)
            .Take(count)
            .Select(entry => (entry.Key, (double)entry.Value / Math.Max(1, Samples), (double)entry.Value / Math.Max(1, total)))
            .ToList();
    }

    /// <summary>Prints the top six states and statements, as every benchmark's "where the time goes" shows them.</summary>
    public void WriteSummary(TextWriter output, string database, TimeSpan interval)
    {
        output.WriteLine($"  {database} backends ({Samples} samples of pg_stat_activity every {interval.TotalMilliseconds:F0} ms, at most {MaxActive} active), average backends per sample:");
        foreach (var (what, backends, share) in Top(6))
        {
            output.WriteLine($"    {backends,6:F1}  {share,4:P0}  {what}");
        }

        output.WriteLine("    the statements seen running (state active), in average backends per sample:");
        foreach (var (statement, backends, share) in TopStatements(6))
        {
            output.WriteLine($"    {backends,6:F1}  {share,4:P0}  {statement}");
        }
    }

    private static string Describe((string State, string WaitType, string Wait) key) =>
        key.WaitType.Length == 0 ? $"{key.State} (no wait: CPU)" : $"{key.State} {key.WaitType}:{key.Wait}";
}
