using Npgsql;

namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// A database's cumulative counters from <c>pg_stat_database</c>: transactions committed and rows written.
/// The difference of two readings says how much database work a phase cost (all clients of the database,
/// background work included). PostgreSQL publishes a backend's counters when it goes idle, at most once a
/// second and otherwise within <see cref="FlushDelay"/>: read the second reading that long after the phase.
/// </summary>
public sealed record DatabaseActivity(long Commits, long Rollbacks, long RowsInserted, long RowsUpdated, long RowsDeleted)
{
    public static readonly TimeSpan FlushDelay = TimeSpan.FromSeconds(11);

    public long RowsWritten => RowsInserted + RowsUpdated + RowsDeleted;

    public static async Task<DatabaseActivity> ReadAsync(NpgsqlDataSource server, string database, CancellationToken cancellationToken)
    {
        await using var command = server.CreateCommand(
            "SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"There is no database {database}.");
        }

        return new DatabaseActivity(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }

    public static DatabaseActivity operator -(DatabaseActivity after, DatabaseActivity before) => new(
        after.Commits - before.Commits,
        after.Rollbacks - before.Rollbacks,
        after.RowsInserted - before.RowsInserted,
        after.RowsUpdated - before.RowsUpdated,
        after.RowsDeleted - before.RowsDeleted);
}
