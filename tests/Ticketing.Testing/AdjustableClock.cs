namespace Ticketing.Testing;

/// <summary>
/// The real clock, moved forward on demand: <see cref="Jump"/> makes "now" later at once (a sale opens without
/// waiting for it), while time keeps flowing at its real pace and timers keep firing in real time, so a service under
/// test runs exactly as it does in production, only later. It also tells a test when timers of a given length have
/// been started (<see cref="TimersStartedAsync"/>): a worker that waits its interval between rounds that found
/// nothing to do starts one such timer a round, so the test can wait for rounds instead of for time.
/// </summary>
public sealed class AdjustableClock : TimeProvider
{
    private readonly Lock gate = new();
    private readonly List<TimerWaiter> waiters = [];
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public void Jump(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (gate)
        {
            waiters.RemoveAll(waiter => waiter.DueTime == dueTime && --waiter.Remaining == 0 && waiter.Done.TrySetResult(true));
        }

        return base.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>Completes once <paramref name="count"/> more timers of <paramref name="dueTime"/> have been started on this clock.</summary>
    public Task TimersStartedAsync(TimeSpan dueTime, int count, TimeSpan timeout)
    {
        var waiter = new TimerWaiter(dueTime, count);
        lock (gate)
        {
            waiters.Add(waiter);
        }

        return waiter.Done.Task.WaitAsync(timeout);
    }

    private sealed class TimerWaiter(TimeSpan dueTime, int count)
    {
        public TimeSpan DueTime { get; } = dueTime;

        public int Remaining { get; set; } = count;

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
