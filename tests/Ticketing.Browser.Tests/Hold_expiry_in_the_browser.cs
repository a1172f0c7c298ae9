using Ticketing.Testing;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Browser.Tests;

/// <summary>The platform with holds of ten seconds, so a fan can watch one run out.</summary>
public sealed class ShortHoldFanAppFixture : FanAppFixture
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
}

public sealed class Hold_expiry_in_the_browser(ShortHoldFanAppFixture platform) : IClassFixture<ShortHoldFanAppFixture>
{
    [Fact]
    public async Task When_the_hold_runs_out_the_page_says_so_and_the_seats_are_no_longer_the_fans()
    {
        var concert = await platform.SeedConcertAsync("Short Hold Night");
        await using var fan = await platform.OpenAsync(375);
        await fan.SignInAsync("slow-fan");
        await fan.OpenConcertAsync(concert);
        await fan.PickSeatsAsync("B-3-7");
        await fan.HoldPickedSeatsAsync();
        await fan.HeldSeatsAsync();
        await Expect(fan.Page.GetByTestId("hold-countdown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Held for you for 0:\d\d$"));
        await Expect(fan.Seat("B-3-7")).ToHaveAttributeAsync("data-status", "yours");

        await Expect(fan.Page.GetByTestId("hold-notice")).ToHaveTextAsync(
            "Your hold ran out and the seats were released. Pick seats again to continue.", new() { Timeout = 30_000 });
        await Expect(fan.Page.GetByTestId("hold-panel")).ToHaveCountAsync(0);
        await Expect(fan.Seat("B-3-7")).ToHaveAttributeAsync("data-status", "available", new() { Timeout = 30_000 });
        Assert.Empty(fan.ConsoleErrors);
    }
}
