using Ticketing.Gateway.Security;

namespace Ticketing.Gateway.Tests;

/// <summary>The gateway's per-fan and per-address windows, as a rule on a clock the test moves.</summary>
public sealed class Fixed_windows
{
    private static readonly RateLimit ThreeInTenSeconds = new() { PermitLimit = 3, Window = TimeSpan.FromSeconds(10) };

    [Fact]
    public void A_window_lets_its_permits_through_then_tells_the_wait_and_starts_again_once_run_out()
    {
        var clock = new AdjustableClock();
        var counters = new FixedWindowCounters(ThreeInTenSeconds, clock);

        Assert.All(Enumerable.Range(0, 3), attempt => Assert.True(counters.TryTake("fan-a", out _)));
        Assert.False(counters.TryTake("fan-a", out var wait));
        Assert.InRange(wait, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(10));
        Assert.True(counters.TryTake("fan-b", out _));

        clock.Jump(TimeSpan.FromSeconds(10));
        Assert.True(counters.TryTake("fan-a", out _));
    }

    [Fact]
    public void A_clock_set_back_starts_the_window_again_rather_than_stretching_it()
    {
        var clock = new AdjustableClock();
        var counters = new FixedWindowCounters(ThreeInTenSeconds, clock);
        Assert.All(Enumerable.Range(0, 3), attempt => Assert.True(counters.TryTake("fan-a", out _)));
        Assert.False(counters.TryTake("fan-a", out _));

        clock.Jump(TimeSpan.FromHours(-1));

        Assert.True(counters.TryTake("fan-a", out _));
    }

    [Fact]
    public async Task Windows_that_ran_out_are_dropped_and_a_dropped_key_starts_a_full_window()
    {
        var clock = new AdjustableClock();
        var counters = new FixedWindowCounters(ThreeInTenSeconds, clock);
        for (var fan = 0; fan < 1_000; fan++)
        {
            Assert.True(counters.TryTake($"fan-{fan}", out _));
        }

        Assert.Equal(1_000, counters.Keys);
        clock.Jump(TimeSpan.FromSeconds(11));
        Assert.True(counters.TryTake("fan-late", out _)); // the first request after the sweep time starts a sweep
        await Polling.UntilAsync(() => Task.FromResult(counters.Keys == 1), TimeSpan.FromSeconds(10));

        Assert.All(Enumerable.Range(0, 3), attempt => Assert.True(counters.TryTake("fan-0", out _)));
        Assert.False(counters.TryTake("fan-0", out _));
    }
}
