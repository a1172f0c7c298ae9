using Npgsql;

namespace Ticketing.AppHost;

/// <summary>Each service's own database on the PostgreSQL server, created when missing (the services create their schemas).</summary>
internal static class Databases
{
    public static async Task CreateMissingAsync(string server, IEnumerable<string> databases)
    {
        await using var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", ApplicationName = "ticketing-apphost" });
        foreach (var database in databases)
        {
            await using var exists = source.CreateCommand("SELECT 1 FROM pg_database WHERE datname = $1");
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = database });
            if (await exists.ExecuteScalarAsync() is null)
            {
                // A name of SystemLayout's, not input: quoted as an identifier all the same.
                await using var create = source.CreateCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
                await create.ExecuteNonQueryAsync();
            }
        }
    }
}
