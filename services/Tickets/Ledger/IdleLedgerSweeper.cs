using Microsoft.Extensions.Options;
using Ticketing.Tickets.SeatState;

namespace Ticketing.Tickets.Ledger;

/// <summary><c>Tickets:Ledgers</c>: how long an instance keeps a concert's seat ledger in memory once nobody uses it.</summary>
public sealed class SeatLedgerOptions
{
    /// <summary>
    /// A ledger no request, message, expiry round or seat map read has touched for this long is dropped from memory
    /// (with the concert's seat-state feed when nobody listens to it). Any of those reads it again from its stream.
    /// </summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the instance looks for idle ledgers.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Drops the seat ledgers (and their seat-state feeds) that nobody has used lately: every concert ever served would
/// otherwise stay in memory, its holds and tickets with it, for as long as the instance runs.
/// </summary>
public sealed partial class IdleLedgerSweeper(
    SeatLedgers ledgers,
    SeatStateFeed feed,
    IOptions<SeatLedgerOptions> options,
    TimeProvider time,
    ILogger<IdleLedgerSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var concertId in ledgers.ForgetIdle(options.Value.IdleAfter))
            {
                feed.Forget(concertId);
                LogForgotten(logger, concertId, options.Value.IdleAfter);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Concert {ConcertId}: seat ledger unused for {IdleAfter}, dropped from memory")]
    private static partial void LogForgotten(ILogger logger, Guid concertId, TimeSpan idleAfter);
}
