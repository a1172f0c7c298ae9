using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ticketing.Tickets.Holds;

/// <summary>
/// The durable timer for holds: deadlines are data (each hold's <c>ExpiresAt</c>), and one instance at a time
/// (the holder of a PostgreSQL advisory lock) frees the holds whose time has passed, every scan interval.
/// Nothing is lost on a crash: a restarted or surviving instance takes the lock and finds the same due holds.
/// </summary>
public sealed partial class HoldExpiryRunner(
    IConfiguration configuration,
    IDocumentStore store,
    SeatBook book,
    IOptions<HoldOptions> options,
    TimeProvider time,
    ILogger<HoldExpiryRunner> logger) : BackgroundService
{
    // "tix:hold" — the lock that elects the one expiry runner among the instances sharing the database.
    private const long LeaderLock = 0x7469783A686F6C64;
    private static readonly TimeSpan RetryLeadership = TimeSpan.FromSeconds(5);

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
                    LogLeading(logger);
                    await RunWhileLeadingAsync(connection, stoppingToken);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, exception);
            }

            await Task.Delay(RetryLeadership, time, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    private async Task RunWhileLeadingAsync(NpgsqlConnection connection, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await using (var stillHere = new NpgsqlCommand("SELECT 1", connection))
            {
                await stillHere.ExecuteScalarAsync(stoppingToken); // losing the connection loses the lock: stop leading
            }

            var expired = await ExpireDueHoldsAsync(stoppingToken);
            if (expired == 0)
            {
                await Task.Delay(options.Value.ExpiryScanInterval, time, stoppingToken);
            }
        }
    }

    /// <summary>Frees holds past their time, a batch at a time. Returns how many it freed.</summary>
    public async Task<int> ExpireDueHoldsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<Guid> due;
        await using (var session = store.QuerySession())
        {
            due = (await session.Query<Hold>()
                .Where(hold => hold.Status == HoldStatus.Held && hold.ExpiresAt <= now)
                .OrderBy(hold => hold.ExpiresAt)
                .Select(hold => hold.Id)
                .Take(200)
                .ToListAsync(cancellationToken)).ToList();
        }

        var expired = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (holdId, token) =>
        {
            if (await book.ExpireAsync(holdId, token))
            {
                Interlocked.Increment(ref expired);
            }
        });
        return expired;
    }

    private static async Task<bool> TryLeadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", LeaderLock);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This instance now expires holds")]
    private static partial void LogLeading(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hold expiry stopped; trying again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
