namespace Ticketing.Browser.Tests;

/// <summary>
/// The development API reference (Scalar at <c>/scalar</c>) in Chromium, under the gateway's content security policy:
/// it loads each service's document through the gateway and shows its operations, who may call them and their
/// problem answers, with no script or policy error. Its screenshot is the README's (<c>screenshots/api-reference.png</c>,
/// copied to docs/screenshots).
/// </summary>
[Collection(FanAppCollection.Name)]
public sealed class Api_reference_in_the_browser(FanAppFixture platform)
{
    [Fact]
    public async Task The_API_reference_shows_each_services_operations_and_who_may_call_them()
    {
        await using var reader = await platform.OpenAsync(1280);
        var page = reader.Page;

        await page.GotoAsync("/scalar/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ticketing Catalog" })).ToBeVisibleAsync();
        await page.GetByText("Concerts", new() { Exact = true }).First.ClickAsync();
        await Expect(page.GetByText("Draft a concert.").First).ToBeVisibleAsync();

        // Another service's document, from the document picker's address, and one of its operations.
        await page.GotoAsync("/scalar/tickets");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ticketing Tickets" })).ToBeVisibleAsync();
        await page.GetByText("Holds", new() { Exact = true }).First.ClickAsync();
        await page.GetByText("Hold specific seats, or the best available seats of a tier, for a few minutes.").First.ClickAsync();
        await Expect(page.GetByText("Who: a bearer token with role fan.").First).ToBeVisibleAsync();
        await Expect(page.GetByText("Over the concert's ticket limit per fan (with limit and alreadyHeld).").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(FanAppFixture.ScreenshotFolder, "api-reference.png") });

        Assert.Empty(reader.ConsoleErrors);
    }
}
