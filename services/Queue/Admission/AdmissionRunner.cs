using Microsoft.Extensions.Options;
using Ticketing.Queue.Drops;
using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.Queue.Admission;

/// <summary>
/// Lets fans in, on exactly one instance at a time (the holder of a PostgreSQL advisory lock; if it dies, another
/// instance takes over within seconds). For each drop it asks the drop's state what is due (<see cref="DropState.NextStep"/>):
/// a room's draw when its sale opens, or the next fans of the queue when the admission bucket allows. The decision is
/// made under the drop's lock on the state read after taking it, and appended as an event before anyone sees it: a
/// crash loses no admission and the next leader, folding the same stream, admits nobody twice and continues from the
/// same bucket.
/// </summary>
public sealed class AdmissionRunner(
    IConfiguration configuration,
    DropStates drops,
    DropStreamWriter writer,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<AdmissionRunner> logger) : SingleInstanceWorker(configuration, time, logger)
{
    public const long AdmissionLockKey = 0x7175653A61646D74; // "que:admt"

    protected override long LockKey => AdmissionLockKey;

    protected override TimeSpan Interval => options.Value.Admission.Interval;

    protected override async Task<IReadOnlyList<Guid>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await drops.Loaded.WaitAsync(cancellationToken);
        return drops.All.Where(drop => drop.NextStep(now) is not null).Select(drop => drop.DropId).ToList();
    }

    protected override async Task FireAsync(Guid id, CancellationToken cancellationToken)
    {
        if (drops.Find(id) is not { } drop)
        {
            return;
        }

        var appended = await writer.AppendDecidedAsync(id, async token =>
        {
            await drops.CatchUpAsync(id, token);
            var now = Time.GetUtcNow();
            return drop.NextStep(now) switch
            {
                AdmissionStep.DrawRoom draw => [new RoomDrawn(id, draw.Room, draw.PreOpeningEntries, now)],
                AdmissionStep.Admit admit => [new FansAdmitted(id, admit.Room, admit.EntryIds, admit.PassExpiresAt, admit.TokensLeft, now)],
                _ => [],
            };
        }, cancellationToken);
        await drops.ApplyOwnAsync(id, appended, cancellationToken);
    }
}
