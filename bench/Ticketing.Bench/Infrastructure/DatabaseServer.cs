namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// What of the PostgreSQL server moves a result, printed beside the machine: its version, the settings that decide
/// how much it writes (buffers, checkpoints) and how big the system's databases already are. A database that has
/// grown with weeks of runs reads pages from the disk that a fresh one keeps in memory.
/// </summary>
public static class DatabaseServer
{
    private static readonly string[] Settings = ["shared_buffers", "max_wal_size", "checkpoint_timeout", "synchronous_commit"];

    public static async Task<string> DescribeAsync(Servers servers, CancellationToken cancellationToken)
    {
        await using var server = servers.Database("postgres", 1);
        await using var batch = server.CreateBatch();
        batch.BatchCommands.Add(new("SELECT current_setting('server_version')"));
        batch.BatchCommands.Add(new($"SELECT name, setting, coalesce(unit, '') FROM pg_settings WHERE name IN ({string.Join(", ", Settings.Select(name => $"'{name}'"))}) ORDER BY name"));
        batch.BatchCommands.Add(new($"SELECT datname, pg_database_size(datname) FROM pg_database WHERE {DatabaseActivity.SystemDatabaseCondition} ORDER BY datname"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var version = reader.GetString(0);
        await reader.NextResultAsync(cancellationToken);
        var settings = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            settings.Add($"{reader.GetString(0)} {Setting(reader.GetString(1), reader.GetString(2))}");
        }

        await reader.NextResultAsync(cancellationToken);
        var sizes = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            sizes.Add($"{reader.GetString(0)} {Megabytes(reader.GetInt64(1)):N0} MB");
        }

        return $"PostgreSQL {version}: {string.Join(", ", settings)}; databases {string.Join(", ", sizes)}";
    }

    /// <summary>
    /// How many bytes of WAL the server has written since it was made: the difference of two readings is what a phase
    /// wrote to the WAL, every database's rows and index entries and full pages after a checkpoint, whoever wrote them.
    /// </summary>
    public static async Task<long> WalPositionAsync(Servers servers, CancellationToken cancellationToken)
    {
        await using var server = servers.Database("postgres", 1);
        await using var command = server.CreateCommand("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A setting in the unit people write it in: 8 kB pages and megabytes as MB, seconds as s.</summary>
    private static string Setting(string value, string unit) => unit switch
    {
        "8kB" when long.TryParse(value, out var pages) => $"{Megabytes(pages * 8192):N0} MB",
        "MB" => $"{value} MB",
        "" => value,
        _ => $"{value} {unit}",
    };

    private static long Megabytes(long bytes) => bytes / (1024 * 1024);
}
