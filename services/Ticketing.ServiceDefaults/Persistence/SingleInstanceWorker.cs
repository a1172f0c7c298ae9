using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ticketing.ServiceDefaults.Persistence;

/// <summary>
/// Durable timers that must fire on exactly one instance at a time (hold expiry, checkout time-outs).
/// Deadlines are data: each round asks <see cref="DueAsync"/> what is due and fires each item.
/// The instance holding a PostgreSQL advisory lock on the service's database runs it; the lock lives with its
/// connection, so when that instance dies another one takes over within <see cref="RetryLeadership"/>.
/// Timers are data in the database, so the new leader finds exactly what was due.
/// </summary>
public abstract partial class SingleInstanceWorker(IConfiguration configuration, TimeProvider time, ILogger logger) : BackgroundService
{
    private static readonly TimeSpan RetryLeadership = TimeSpan.FromSeconds(3);

    protected TimeProvider Time { get; } = time;

    /// <summary>The advisory lock key; unique per kind of work within one database.</summary>
    protected abstract long LockKey { get; }

    /// <summary>Pause between rounds that found nothing to do.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The ids whose deadline has passed, oldest first, a batch at a time.</summary>
    protected abstract Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Fires one timer. Must be idempotent: a timer may fire again after a crash or a lost race.</summary>
    protected abstract Task FireAsync(Guid id, CancellationToken cancellationToken);

    private async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var due = await DueAsync(Time.GetUtcNow(), cancellationToken);
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (id, token) =>
        {
            try
            {
                await FireAsync(id, token);
            }
            catch (Exception exception) when (Conflicts.IsConcurrencyConflict(exception))
            {
                // something else changed it at the same moment; the next round sees where it stands
            }
        });
        return due.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(configuration.GetConnectionString("Postgres"));
                await connection.OpenAsync(stoppingToken);
                if (await TryLeadAsync(connection, stoppingToken))
                {
                    LogLeading(logger, GetType().Name);
                    await LeadAsync(connection, stoppingToken);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, exception, GetType().Name);
            }

            try
            {
                await Task.Delay(RetryLeadership, Time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task LeadAsync(NpgsqlConnection connection, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // Losing the connection loses the lock: this check ends the leadership before another round runs.
            await using (var stillLeading = new NpgsqlCommand("SELECT 1", connection))
            {
                await stillLeading.ExecuteScalarAsync(stoppingToken);
            }

            if (await RunOnceAsync(stoppingToken) == 0)
            {
                await Task.Delay(Interval, Time, stoppingToken);
            }
        }
    }

    private async Task<bool> TryLeadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", LockKey);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Worker} runs on this instance now")]
    private static partial void LogLeading(ILogger logger, string worker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Worker} stopped; trying again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string worker);
}
