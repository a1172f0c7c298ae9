using System.Net.Http.Headers;

namespace Ticketing.Browser.Tests;

/// <summary>
/// (Part of the page tests, on their platform.) The shop's look on a phone in both themes: home with drop cards (one
/// concert with the Catalog's picture, one with generated artwork), the concert page with its artwork and a hold
/// counting down, and My tickets — each axe-core clean in light and in dark, photographed for the README
/// (screenshots/{page}-{theme}-375.png). The theme follows the system until the fan flips the switch, which is remembered.
/// </summary>
public sealed partial class Fan_app_pages
{
    [Fact]
    public async Task The_shop_looks_like_a_shop_in_light_and_dark_themes_and_remembers_the_fans_choice()
    {
        var pictured = await platform.SeedConcertAsync("Neon Garden");
        await platform.SeedConcertAsync("Moonlit Stage", saleOpensAt: DateTimeOffset.UtcNow.AddDays(3));
        using (var op = platform.Operator())
        {
            var file = Path.Combine(FanAppFixture.RepositoryRoot(), "deploy", "seed", "images", "stage.png");
            var content = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            using var form = new MultipartFormDataContent { { content, "file", "stage.png" } };
            using var uploaded = await op.PostAsync($"/api/catalog/concerts/{pictured.Id}/images", form);
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        await using var fan = await platform.OpenAsync(375, "Asia/Seoul");
        await fan.SignInAsync("theme-fan");
        await fan.OpenConcertAsync(pictured);
        await fan.HoldSeatsAsync("A-2-3", "A-2-4");
        Assert.Equal("Confirmed", await fan.PayAsync(FanAppFixture.ApprovingCard));
        await fan.Page.GotoAsync($"/concerts/{pictured.Id}");
        // The hold is answered before the fan leaves the page: a hold whose request went away is given back at once.
        Assert.Equal(["B-1-1"], await fan.HoldSeatsAsync("B-1-1"));
        var problems = new List<string>();

        async Task PageInBothThemesAsync(string name, Func<Task> open)
        {
            foreach (var theme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                await fan.Page.EmulateMediaAsync(new() { ColorScheme = theme });
                await open();
                var themeName = theme == ColorScheme.Dark ? "dark" : "light";
                Assert.Equal(themeName == "dark" ? "rgb(14, 12, 21)" : "rgb(245, 244, 249)",
                    await fan.Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"));
                problems.AddRange((await fan.SeriousAccessibilityViolationsAsync()).Select(violation => $"{name} ({themeName}): {violation}"));
                await fan.ScreenshotAsync($"{name}-{themeName}");
            }
        }

        await PageInBothThemesAsync("home", async () =>
        {
            await fan.Page.GotoAsync("/");
            var card = fan.Page.GetByTestId("concert-card").Filter(new() { HasText = "Neon Garden" });
            // The fan scrolls to the card: its picture loads lazily, and below the fold of a phone (where the other
            // tests' concerts can push it) it would never be asked for.
            await card.ScrollIntoViewIfNeededAsync();
            await Expect(card.Locator("img[data-artwork=picture]")).ToHaveJSPropertyAsync("complete", true);
            Assert.True(await card.Locator("img[data-artwork=picture]").EvaluateAsync<bool>("async img => { await img.decode(); return img.naturalWidth > 0; }"), "the concert's picture did not load");
            await Expect(card.GetByTestId("concert-badge")).ToHaveAttributeAsync("data-state", "live");
            var later = fan.Page.GetByTestId("concert-card").Filter(new() { HasText = "Moonlit Stage" });
            await Expect(later.Locator("[data-artwork=generated]")).ToBeVisibleAsync();
            await Expect(later.GetByTestId("concert-badge")).ToHaveAttributeAsync("data-state", "soon");
        });
        await PageInBothThemesAsync("concert", async () =>
        {
            await fan.Page.GotoAsync($"/concerts/{pictured.Id}");
            await Expect(fan.Page.GetByTestId("hold-countdown")).ToBeVisibleAsync();
            await Expect(fan.Seat("A-1-1")).ToBeVisibleAsync();
        });
        await PageInBothThemesAsync("tickets", async () =>
        {
            await fan.Page.GotoAsync("/tickets");
            await Expect(fan.Page.GetByTestId("ticket-qr")).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        });

        // The system says dark; the fan flips to light, and the app stays light after a reload.
        await fan.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        var themeSwitch = fan.Page.GetByTestId("theme-switch");
        await Expect(themeSwitch).ToHaveAttributeAsync("aria-pressed", "true");
        await themeSwitch.ClickAsync();
        await Expect(themeSwitch).ToHaveAttributeAsync("aria-pressed", "false");
        await fan.Page.ReloadAsync();
        await Expect(fan.Page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
        Assert.Equal("rgb(245, 244, 249)", await fan.Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"));

        problems.ForEach(output.WriteLine);
        Assert.Empty(problems);
        Assert.Empty(fan.ConsoleErrors);
    }
}
