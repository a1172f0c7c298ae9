using Npgsql;

namespace Ticketing.Testing;

/// <summary>A PostgreSQL database of its own for one test class, dropped afterwards.</summary>
public sealed class IsolatedDatabase : IAsyncDisposable
{
    private readonly string adminConnectionString;

    private IsolatedDatabase(string adminConnectionString, string name, string connectionString)
    {
        this.adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<IsolatedDatabase> CreateAsync(ServerEndpoints servers, string purpose)
    {
        var name = $"t_{Slug(purpose)}_{Guid.NewGuid():N}"[..40];
        await using (var connection = new NpgsqlConnection(servers.Postgres))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(servers.Postgres)
        {
            Database = name,
            MaxPoolSize = 20,
        }.ConnectionString;
        return new IsolatedDatabase(servers.Postgres, name, connectionString);
    }

    /// <summary>Rows of a SQL query on this database (the tests' view of what a service stored).</summary>
    public async Task<IReadOnlyList<object[]>> QueryAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    internal static string Slug(string value) =>
        new(value.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(16).ToArray());
}
