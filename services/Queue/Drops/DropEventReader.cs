using System.Text.Json;
using System.Text.Json.Serialization;
using Marten;
using Npgsql;

namespace Ticketing.Queue.Drops;

/// <summary>An event of a drop's stream with its version.</summary>
public sealed record DropEvent(long Version, object Data);

/// <summary>
/// Reads a drop's events after a version with one indexed query (<c>stream_id = @drop AND version &gt; @after</c>),
/// deserialising them as Marten wrote them (camelCase System.Text.Json, enums as names). Catching up after each group
/// of joins reads only that group's event, however long the stream has grown.
/// </summary>
public sealed class DropEventReader(IDocumentStore store, IConfiguration configuration)
{
    public static readonly IReadOnlyList<Type> EventTypes =
    [
        typeof(DropAnnounced), typeof(PresaleScheduled), typeof(MembersImported), typeof(EntriesJoined), typeof(RoomDrawn),
        typeof(FansAdmitted), typeof(AdmissionPaused), typeof(AdmissionResumed), typeof(AdmissionRateChanged),
        typeof(DropSoldOut), typeof(DropBackOnSale), typeof(DropClosed), typeof(EntriesFinished),
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static readonly Dictionary<string, Type> TypesByName = EventTypes.ToDictionary(type => type.FullName!, StringComparer.Ordinal);

    private readonly string schema = store.Options.Events.DatabaseSchemaName;
    private readonly string connectionString = configuration.GetConnectionString("Postgres")!;

    public async Task<IReadOnlyList<DropEvent>> ReadAfterAsync(Guid dropId, long afterVersion, CancellationToken cancellationToken)
    {
        var events = new List<DropEvent>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT version, mt_dotnet_type, data FROM {schema}.mt_events WHERE stream_id = @drop AND version > @after ORDER BY version",
            connection);
        command.Parameters.AddWithValue("drop", dropId);
        command.Parameters.AddWithValue("after", afterVersion);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var version = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
            var typeName = reader.GetString(1);
            var comma = typeName.IndexOf(',');
            if (!TypesByName.TryGetValue(comma < 0 ? typeName : typeName[..comma].Trim(), out var type))
            {
                throw new InvalidOperationException($"Drop {dropId} has an event of unknown type {typeName} at version {version}.");
            }

            events.Add(new DropEvent(version, JsonSerializer.Deserialize(reader.GetString(2), type, Json)!));
        }

        return events;
    }
}
