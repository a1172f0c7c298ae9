using System.Collections.Concurrent;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ticketing.Queue.Drops;

/// <summary>Section <c>Queue</c>.</summary>
public sealed class QueueOptions
{
    /// <summary>How often every instance looks for new events of the drops' streams.</summary>
    public TimeSpan FollowInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Most joins of one drop committed together as one event.</summary>
    public int MaxJoinGroup { get; set; } = 1000;

    public AdmissionOptions Admission { get; set; } = new();
}

/// <summary>Section <c>Queue:Admission</c>.</summary>
public sealed class AdmissionOptions
{
    /// <summary>How often the admitting instance looks at every drop when it found nothing to do.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>
/// Every drop's state in memory, kept up to date from the drops' event streams: every
/// <see cref="QueueOptions.FollowInterval"/> one query asks which streams moved, and only those are read from the
/// version this instance has. A stream's events are appended under the drop's lock and its versions are gap-free,
/// so reading by version never skips an event that commits late. An instance that wrote an event reads it back at
/// once (<see cref="CatchUpAsync"/>), so its answer reflects its own write and everything committed before it.
/// </summary>
public sealed partial class DropStates(
    IDocumentStore store,
    DropEventReader events,
    IConfiguration configuration,
    IOptions<QueueOptions> options,
    ILogger<DropStates> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, DropState> drops = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> readers = new();
    private readonly TaskCompletionSource loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every existing stream has been read (the instance is ready).</summary>
    public Task Loaded => loaded.Task;

    public DropState? Find(Guid dropId) => drops.GetValueOrDefault(dropId);

    public IReadOnlyCollection<DropState> All => drops.Values.ToList();

    /// <summary>The drop, reading its stream first when this instance does not know it yet (announced a moment ago elsewhere).</summary>
    public async Task<DropState?> FindOrReadAsync(Guid dropId, CancellationToken cancellationToken)
    {
        if (drops.TryGetValue(dropId, out var state))
        {
            return state;
        }

        await CatchUpAsync(dropId, cancellationToken);
        return drops.GetValueOrDefault(dropId);
    }

    /// <summary>
    /// Applies what this instance just appended without reading it back when nothing else was appended before it since
    /// this instance last read the stream; otherwise reads the stream.
    /// </summary>
    public Task ApplyOwnAsync(Guid dropId, DropStreamWriter.Appended appended, CancellationToken cancellationToken)
    {
        if (appended.Events.Count > 0 && drops.TryGetValue(dropId, out var state) && state.Apply(appended.AsDropEvents()))
        {
            return Task.CompletedTask;
        }

        return CatchUpAsync(dropId, cancellationToken);
    }

    /// <summary>
    /// Reads the drop's events this instance has not applied yet. Callers after their own commit get a read that
    /// started after it; callers arriving while a read runs wait for it and start the next one together.
    /// </summary>
    public async Task CatchUpAsync(Guid dropId, CancellationToken cancellationToken)
    {
        var reader = readers.GetOrAdd(dropId, _ => new SemaphoreSlim(1, 1));
        await reader.WaitAsync(cancellationToken);
        try
        {
            var known = drops.GetValueOrDefault(dropId);
            var read = await events.ReadAfterAsync(dropId, known?.Version ?? 0, cancellationToken);
            if (read.Count == 0)
            {
                return;
            }

            if (known is null)
            {
                if (DropState.Start(read[0]) is not { } started)
                {
                    return;
                }

                started.Apply(read);
                drops[dropId] = started;
            }
            else
            {
                known.Apply(read);
            }
        }
        finally
        {
            reader.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var (dropId, version) in await StreamVersionsAsync(schema, stoppingToken))
                {
                    if (!drops.TryGetValue(dropId, out var state) || state.Version < version)
                    {
                        await CatchUpAsync(dropId, stoppingToken);
                    }
                }

                loaded.TrySetResult();
                await Task.Delay(options.Value.FollowInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogFollowFailed(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>Every drop stream with its current version: the Queue's event store holds only drop streams.</summary>
    private async Task<List<(Guid DropId, long Version)>> StreamVersionsAsync(string schema, CancellationToken cancellationToken)
    {
        var versions = new List<(Guid, long)>();
        await using var connection = new NpgsqlConnection(configuration.GetConnectionString("Postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT id, version FROM {schema}.mt_streams", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            versions.Add((reader.GetGuid(0), Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return versions;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following the drops' streams failed; retrying")]
    private static partial void LogFollowFailed(ILogger logger, Exception exception);
}
