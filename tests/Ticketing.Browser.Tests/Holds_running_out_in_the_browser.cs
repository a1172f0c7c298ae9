namespace Ticketing.Browser.Tests;

/// <summary>The platform with holds of ten seconds and at most two holds per fan in 30 s, to watch both run out.</summary>
public sealed class ShortHoldsAndStrictLimitsFixture : FanAppFixture
{
    protected override Dictionary<string, string?> Configure(string service, Dictionary<string, string?> settings)
    {
        if (service == "tickets")
        {
            settings["Tickets:Holds:Duration"] = "00:00:10";
            settings["Tickets:Holds:ExpiryScanInterval"] = "00:00:00.250";
        }

        return settings;
    }

    protected override Dictionary<string, string?> ConfigureGateway(Dictionary<string, string?> settings)
    {
        settings = base.ConfigureGateway(settings);
        settings["Gateway:RateLimits:FanHolds:PermitLimit"] = "2";
        settings["Gateway:RateLimits:FanHolds:Window"] = "00:00:30";
        return settings;
    }
}

public sealed class Holds_running_out_in_the_browser(ShortHoldsAndStrictLimitsFixture platform) : IClassFixture<ShortHoldsAndStrictLimitsFixture>
{
    [Fact]
    public async Task When_the_hold_runs_out_the_page_says_so_and_the_seats_are_no_longer_the_fans()
    {
        var concert = await platform.SeedConcertAsync("Short Hold Night");
        await using var fan = await platform.SignedInAtConcertAsync("slow-fan", concert, 375);
        await fan.HoldSeatsAsync("B-3-7");
        await Expect(fan.Page.GetByTestId("hold-countdown")).ToHaveTextAsync(new Regex(@"^Held for you for 0:\d\d$"));
        await Expect(fan.Seat("B-3-7")).ToHaveAttributeAsync("data-status", "yours");

        await Expect(fan.Page.GetByTestId("hold-notice")).ToHaveTextAsync(
            "Your hold ran out and the seats were released. Pick seats again to continue.", new() { Timeout = 30_000 });
        await Expect(fan.Page.GetByTestId("hold-panel")).ToHaveCountAsync(0);
        await Expect(fan.Seat("B-3-7")).ToHaveAttributeAsync("data-status", "available", new() { Timeout = 30_000 });
        Assert.Empty(fan.ConsoleErrors);
    }

    [Fact]
    public async Task Too_many_hold_attempts_say_how_many_seconds_to_wait()
    {
        var concert = await platform.SeedConcertAsync("Impatient Night");
        await using var fan = await platform.SignedInAtConcertAsync("impatient-fan", concert);

        foreach (var seat in new[] { "C-2-1", "C-2-2" })
        {
            await fan.PickSeatsAsync(seat);
            await fan.HoldPickedSeatsAsync();
            await Expect(fan.Page.Locator($"[data-testid='held-seat'][data-seat-id='{seat}']")).ToBeVisibleAsync();
        }

        await fan.PickSeatsAsync("C-2-3");
        await fan.HoldPickedSeatsAsync();

        await Expect(fan.Page.GetByTestId("hold-error")).ToHaveTextAsync(new Regex(@"^Too many tries, wait ([1-9]|[12]\d|30) s\.$"));
        Assert.Empty(fan.ConsoleErrors);
    }
}
