namespace Ticketing.Testing;

/// <summary>
/// The real clock, moved forward on demand: <see cref="Jump"/> makes "now" later at once (a sale opens without
/// waiting for it), while time keeps flowing at its real pace and timers keep firing in real time, so a service under
/// test runs exactly as it does in production, only later.
/// </summary>
public sealed class AdjustableClock : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public void Jump(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
}
