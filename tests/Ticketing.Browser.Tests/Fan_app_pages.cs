namespace Ticketing.Browser.Tests;

/// <summary>
/// Every page at phone and desktop width: accessible (axe-core; colour contrast in the dark theme too), in the fan's time
/// zone, and photographed. On a platform of its own rather than the <see cref="FanAppCollection"/>'s: the classes of one
/// collection run one after another, and with these (about two minutes) in it the collection was the whole run's longest
/// path while the other test thread sat idle.
/// </summary>
public sealed partial class Fan_app_pages(FanAppFixture platform, ITestOutputHelper output) : IClassFixture<FanAppFixture>
{
    [Theory]
    [InlineData(375)]
    [InlineData(1280)]
    public async Task Home_concert_checkout_and_tickets_pages_have_no_serious_accessibility_violation(int width)
    {
        var concert = await platform.SeedConcertAsync($"Blue Hour {width}");
        var productId = await platform.SeedProductAsync($"Slogan towel {width}", stock: 30, limitPerFan: 2);
        await platform.SeedProductAsync($"Tour poster {width}", stock: 10, limitPerFan: 1, releaseAt: DateTimeOffset.UtcNow.AddDays(2));
        await using var fan = await platform.OpenAsync(width);
        var violations = new List<string>();

        async Task CheckAsync(string page)
        {
            await fan.ScreenshotAsync(page);
            foreach (var violation in (await fan.SeriousAccessibilityViolationsAsync()).Concat(await fan.DarkThemeContrastViolationsAsync()))
            {
                violations.Add($"{page} at {width}px: {violation}");
            }
        }

        await fan.SignInAsync($"a11y-{width}");
        await fan.Page.GotoAsync("/");
        await Expect(fan.Page.GetByTestId("concert-card").First).ToBeVisibleAsync();
        await Expect(fan.Page.GetByTestId("product-card").First).ToBeVisibleAsync();
        await CheckAsync("home");

        await fan.OpenConcertAsync(concert);
        await fan.HoldSeatsAsync("A-1-4", "A-1-5");
        await CheckAsync("concert");

        await fan.Page.GotoAsync($"/merch/{productId}");
        await Expect(fan.Page.GetByTestId("product-stock")).ToBeVisibleAsync();
        await CheckAsync("merch");
        await fan.Page.GetByRole(AriaRole.Button, new() { Name = "Add to order" }).ClickAsync();

        await Expect(fan.Page.GetByTestId("test-cards")).ToBeVisibleAsync();
        await fan.Page.GetByLabel("Card number").FillAsync(FanAppFixture.ApprovingCard);
        await CheckAsync("checkout");

        Assert.Equal("Confirmed", await fan.PayAsync(FanAppFixture.ApprovingCard));
        await CheckAsync("order-confirmed");

        await fan.Page.GetByRole(AriaRole.Link, new() { Name = "See my tickets" }).ClickAsync();
        await Expect(fan.Page.GetByTestId("ticket-qr")).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await CheckAsync("tickets");

        await fan.Page.GetByRole(AriaRole.Link, new() { Name = "My orders" }).ClickAsync();
        await Expect(fan.Page.GetByTestId("order").First).ToBeVisibleAsync();
        await CheckAsync("orders");

        foreach (var violation in violations)
        {
            output.WriteLine(violation);
        }

        output.WriteLine($"Screenshots: {FanAppFixture.ScreenshotFolder}");
        Assert.Empty(violations);
        Assert.Empty(fan.ConsoleErrors);
    }

    [Fact]
    public async Task Times_are_in_the_fans_own_zone_with_the_zone_named_and_prices_in_the_concerts_currency()
    {
        // A Seoul sale at 20:00 KST: 06:00 EST in New York.
        var saleOpensAt = new DateTimeOffset(DateTime.UtcNow.Year, 1, 15, 20, 0, 0, TimeSpan.FromHours(9));
        if (saleOpensAt < DateTimeOffset.UtcNow.AddDays(1))
        {
            saleOpensAt = saleOpensAt.AddYears(1);
        }

        var concert = await platform.SeedConcertAsync("Winter Letter", saleOpensAt: saleOpensAt);
        await using var newYork = await platform.OpenAsync(1280, "America/New_York");
        await newYork.Page.GotoAsync($"/concerts/{concert.Id}");

        await Expect(newYork.Page.GetByText(new Regex(@"^Sale opens Jan 15, \d{4}, 6:00 AM EST"))).ToBeVisibleAsync();
        await Expect(newYork.Page.GetByText(new Regex(@"Jan 15, \d{4}, 8:00 PM GMT\+9 in Seoul"))).ToBeVisibleAsync();
        await Expect(newYork.Page.GetByTestId("tier-price").First).ToHaveTextAsync("VIP: ₩198,000 (16 left)");
        await Expect(newYork.Page.GetByText(new Regex("^Sales open Jan 15"))).ToBeVisibleAsync();

        await newYork.Page.GotoAsync("/");
        await Expect(newYork.Page.GetByTestId("concert-card").Filter(new() { HasText = "Winter Letter" }).GetByTestId("concert-badge"))
            .ToHaveTextAsync(new Regex(@"^Sale opens in \d+d \d\d:\d\d:\d\d$"));

        await using var seoul = await platform.OpenAsync(375, "Asia/Seoul");
        await seoul.Page.GotoAsync($"/concerts/{concert.Id}");
        await Expect(seoul.Page.GetByText(new Regex(@"^Sale opens Jan 15, \d{4}, 8:00 PM GMT\+9"))).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Unknown_paths_and_api_paths_are_not_answered_with_the_app()
    {
        await using var fan = await platform.OpenAsync();
        foreach (var path in new[] { "/api/no-such-thing", "/auth/nothing", "/health/nothing", "/ops-not-here", "/no-such-page" })
        {
            var response = await fan.Page.APIRequest.GetAsync(path);
            Assert.Equal(404, response.Status);
            Assert.StartsWith("application/problem+json", response.Headers["content-type"]);
        }

        var app = await fan.Page.APIRequest.GetAsync($"/concerts/{Guid.NewGuid()}");
        Assert.Equal(200, app.Status);
        Assert.StartsWith("text/html", app.Headers["content-type"]);
        Assert.Contains("script-src 'self'", app.Headers["content-security-policy"]);
    }

    /// <summary>The accessibility checks every page test relies on do find what they look for: a planted picture without a text alternative and barely readable text, in the light theme and in the dark one, and text readable only in the light theme, in the dark one only.</summary>
    [Fact]
    public async Task The_accessibility_checks_report_a_planted_violation_in_either_theme()
    {
        await using var fan = await platform.OpenAsync(375);
        await fan.Page.GotoAsync("/");
        await Expect(fan.Page.Locator("main")).ToBeVisibleAsync();
        await fan.Page.EvaluateAsync(
            """
            () => {
              const text = document.createElement('p');
              text.textContent = 'Barely readable';
              text.style.cssText = 'color: #dddddd; background: #ffffff';
              const picture = document.createElement('img');
              picture.src = '/favicon.svg';
              const darkOnly = document.createElement('p');
              darkOnly.textContent = 'Dark on the page';
              darkOnly.style.color = '#222222';
              document.querySelector('main').prepend(text, picture, darkOnly);
            }
            """);

        var light = await fan.SeriousAccessibilityViolationsAsync();
        Assert.Contains(light, violation => violation.StartsWith("image-alt", StringComparison.Ordinal));
        Assert.Contains(light, violation => violation.StartsWith("color-contrast", StringComparison.Ordinal) && violation.Contains("Barely readable", StringComparison.Ordinal));
        Assert.DoesNotContain(light, violation => violation.Contains("Dark on the page", StringComparison.Ordinal));
        // Read after the light theme's check, on the same page: the dark theme's colours, not remembered light ones.
        var dark = await fan.DarkThemeContrastViolationsAsync();
        Assert.Contains(dark, violation => violation.StartsWith("dark theme: color-contrast", StringComparison.Ordinal) && violation.Contains("Barely readable", StringComparison.Ordinal));
        Assert.Contains(dark, violation => violation.Contains("Dark on the page", StringComparison.Ordinal));
    }
}
