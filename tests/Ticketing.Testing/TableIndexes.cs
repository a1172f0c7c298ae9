using Npgsql;

namespace Ticketing.Testing;

/// <summary>The indexes of a service's table as PostgreSQL has them, for the tests that pin what a write costs.</summary>
public static class TableIndexes
{
    /// <summary>Each index's definition after <c>USING</c>, e.g. <c>btree (expires_at) WHERE ((status)::text = 'Held'::text)</c>.</summary>
    public static async Task<IReadOnlyList<string>> OfAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT regexp_replace(indexdef, '^.* USING ', '') FROM pg_indexes WHERE tablename = @table ORDER BY 1", connection);
        command.Parameters.AddWithValue("table", table);
        await using var reader = await command.ExecuteReaderAsync();
        var definitions = new List<string>();
        while (await reader.ReadAsync())
        {
            definitions.Add(reader.GetString(0));
        }

        return definitions;
    }
}
