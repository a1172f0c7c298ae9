using Npgsql;

namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// A database's cumulative counters: transactions from <c>pg_stat_database</c>, and rows written (inserted, updated,
/// deleted) per table from <c>pg_stat_user_tables</c>. The difference of two readings says how much database work
/// a phase cost (all clients of the database, background work included). PostgreSQL publishes a backend's counters
/// when it goes idle, at most once a second and otherwise within <see cref="FlushDelay"/>: read the second reading
/// that long after the phase.
/// </summary>
public sealed record DatabaseActivity(string Database, long Commits, long Rollbacks, IReadOnlyDictionary<string, long> RowsWrittenByTable)
{
    public static readonly TimeSpan FlushDelay = TimeSpan.FromSeconds(11);

    public long RowsWritten => RowsWrittenByTable.Values.Sum();

    /// <summary>The SQL condition on <c>pg_database</c> that picks the system's databases: every name starting with <c>ticketing</c>.</summary>
    public const string SystemDatabaseCondition = "datname LIKE 'ticketing%'";

    /// <summary>The databases of the system on the server (<see cref="SystemDatabaseCondition"/>).</summary>
    public static async Task<IReadOnlyList<string>> SystemDatabasesAsync(Servers servers, CancellationToken cancellationToken)
    {
        await using var server = servers.Database("postgres", 1);
        await using var command = server.CreateCommand($"SELECT datname FROM pg_database WHERE {SystemDatabaseCondition} ORDER BY datname");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public static async Task<DatabaseActivity> ReadAsync(Servers servers, string database, CancellationToken cancellationToken)
    {
        await using var source = servers.Database(database, 1);
        await using var batch = source.CreateBatch();
        batch.BatchCommands.Add(new("SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()"));
        batch.BatchCommands.Add(new("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (commits, rollbacks) = (reader.GetInt64(0), reader.GetInt64(1));
        await reader.NextResultAsync(cancellationToken);
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows[reader.GetString(0)] = rows.GetValueOrDefault(reader.GetString(0)) + reader.GetInt64(1);
        }

        return new DatabaseActivity(database, commits, rollbacks, rows);
    }

    public static DatabaseActivity operator -(DatabaseActivity after, DatabaseActivity before) => new(
        after.Database,
        after.Commits - before.Commits,
        after.Rollbacks - before.Rollbacks,
        after.RowsWrittenByTable.ToDictionary(table => table.Key, table => table.Value - before.RowsWrittenByTable.GetValueOrDefault(table.Key)));
}
