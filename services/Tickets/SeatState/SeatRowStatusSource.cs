using System.Collections.Concurrent;
using Marten;
using Npgsql;
using Ticketing.Tickets.Seats;
using Ticketing.Tickets.Shared;

namespace Ticketing.Tickets.SeatState;

/// <summary>
/// <see cref="ISeatStatusSource"/> over the row streams (<see cref="SeatRow"/>): one query of the rows' stream versions,
/// then only the rows that changed since the last read are loaded. The version is the sum of the rows' stream versions,
/// which only grows. A 60,000-seat venue (1,500 rows) costs one indexed query of 1,500 ids while nothing changes.
/// </summary>
public sealed class SeatRowStatusSource(IDocumentStore store) : ISeatStatusSource
{
    private readonly ConcurrentDictionary<Guid, ConcertRows> concerts = new();

    public async Task<SeatStatuses?> ReadAsync(SeatLayout layout, CancellationToken cancellationToken)
    {
        var rows = concerts.GetOrAdd(layout.ConcertId, _ => new ConcertRows(layout));
        await rows.Gate.WaitAsync(cancellationToken);
        try
        {
            var changed = new List<Guid>();
            var found = 0;
            await using (var connection = store.Storage.Database.CreateConnection())
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand(
                    $"select id, version from {store.Options.Events.DatabaseSchemaName}.mt_streams where id = any(@ids)", connection);
                command.Parameters.AddWithValue("ids", rows.Keys);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    found++;
                    var key = reader.GetGuid(0);
                    if (rows.Versions[key] != reader.GetInt64(1))
                    {
                        changed.Add(key);
                    }
                }
            }

            if (found == 0)
            {
                return null;
            }

            if (changed.Count > 0)
            {
                await using var session = store.QuerySession();
                foreach (var row in await session.LoadManyAsync<SeatRow>(cancellationToken, changed))
                {
                    var offset = rows.Offsets[row.Id];
                    foreach (var seat in row.Seats)
                    {
                        rows.Codes[offset + seat.Number - 1] = seat.Status switch
                        {
                            SeatStatus.Held => SeatCodes.Held,
                            SeatStatus.Sold => SeatCodes.Sold,
                            _ => SeatCodes.Available,
                        };
                    }

                    rows.Versions[row.Id] = row.Version;
                }
            }

            return new SeatStatuses(rows.Versions.Values.Sum(), rows.Codes.ToArray());
        }
        finally
        {
            rows.Gate.Release();
        }
    }

    /// <summary>What was last read of one concert's rows.</summary>
    private sealed class ConcertRows
    {
        public ConcertRows(SeatLayout layout)
        {
            foreach (var row in layout.Rows)
            {
                var key = StreamKeys.Row(layout.ConcertId, row.Section, row.Row);
                Offsets[key] = row.Offset;
                Versions[key] = 0;
            }

            Keys = [.. Offsets.Keys];
            Codes = new byte[layout.Capacity];
            Array.Fill(Codes, SeatCodes.Available);
        }

        public SemaphoreSlim Gate { get; } = new(1, 1);
        public Guid[] Keys { get; }
        public Dictionary<Guid, int> Offsets { get; } = [];
        public Dictionary<Guid, long> Versions { get; } = [];
        public byte[] Codes { get; }
    }
}
