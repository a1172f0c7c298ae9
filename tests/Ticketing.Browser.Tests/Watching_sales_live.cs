using System.Text.Json.Nodes;

namespace Ticketing.Browser.Tests;

/// <summary>
/// An operator signs in at /ops and watches a concert; a fan's order placed through the API shows up in the sold count
/// and on the seat heat map without a reload.
/// </summary>
public sealed class Watching_sales_live(OpsBrowserFixture platform, ITestOutputHelper output) : IClassFixture<OpsBrowserFixture>
{
    [Fact]
    public async Task An_order_placed_through_the_api_appears_on_the_dashboard_without_a_reload()
    {
        var concertId = await platform.ConcertOnSaleAsync("Blue Hour Tour — Seoul");
        var lightstick = await platform.ProductAsync("Official Lightstick v3", 45000m, stock: 40);
        var photobook = await platform.ProductAsync("Blue Hour Photobook", 32000m, stock: 4);
        // Some trade before the operator looks: two paid orders (the second takes the last photobooks), and a declined card.
        await platform.BuyAsync("fan-early-1", concertId, ["A-1-1", "A-1-2"], [(lightstick, 2)], OpsBrowserFixture.ApprovingCard);
        await platform.BuyAsync("fan-early-2", concertId, ["B-2-7", "B-2-8", "B-2-9"], [(photobook, 4)], OpsBrowserFixture.ApprovingCard);
        await platform.BuyAsync("fan-early-3", concertId, ["A-2-4"], [], OpsBrowserFixture.DecliningCard);

        await using var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
            TimezoneId = "Europe/Paris",
            Locale = "en-GB",
        });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => consoleErrors.Add(error);

        await page.GotoAsync(new Uri(platform.GatewayAddress, "/ops").ToString());
        await page.GetByLabel("Operator name").FillAsync("ops-lead");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var patience = new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 };
        await Assertions.Expect(page.Locator("#live-state")).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 30_000 });

        // The live dot pulses, unless the operator's system asks for less motion: then the dashboard keeps still.
        const string LiveDotLoops = "() => getComputedStyle(document.querySelector('#live-state .live-dot')).animationIterationCount";
        Assert.Equal("infinite", await page.EvaluateAsync<string>(LiveDotLoops));
        await page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.Reduce });
        Assert.Equal("1", await page.EvaluateAsync<string>(LiveDotLoops));
        await page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.NoPreference });

        await page.Locator("#concert-select").SelectOptionAsync(concertId.ToString());

        var sold = page.GetByTestId("concert-sold");
        var seat = page.Locator("[data-seat='A-1-5']");
        await Assertions.Expect(sold).ToHaveTextAsync("5", patience);
        await Assertions.Expect(seat).ToHaveAttributeAsync("data-status", "available");
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        // A fan buys A-1-5 and A-1-6 through the API, while the page stays open.
        await platform.BuyAsync("fan-live", concertId, ["A-1-5", "A-1-6"], [(lightstick, 1)], OpsBrowserFixture.ApprovingCard);

        await Assertions.Expect(sold).ToHaveTextAsync("7", patience);
        await Assertions.Expect(seat).ToHaveAttributeAsync("data-status", "sold", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-seat='A-1-6']")).ToHaveAttributeAsync("data-status", "sold");
        await Assertions.Expect(page.Locator("[data-seat='A-2-4']")).ToHaveAttributeAsync("data-status", "available");
        await Assertions.Expect(page.GetByTestId("orders-confirmed")).ToHaveTextAsync("3", patience);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page was reloaded.");
        await Assertions.Expect(page.Locator("#alerts [data-kind='product_sold_out']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        // The concert's counts and its seat map are projected one after the other; the page may read the concert
        // between the two (new counts, old seat map). Played here by answering with the sold seats still held until
        // the counts have settled: the next change anywhere (an order of merch only) must make the page read it again.
        var seatMapLags = true;
        await page.RouteAsync("**/api/insights/concerts/*", async route =>
        {
            var response = await route.FetchAsync();
            if (!seatMapLags)
            {
                await route.FulfillAsync(new() { Response = response });
                return;
            }

            var detail = JsonNode.Parse(await response.TextAsync())!;
            foreach (var row in detail["seatMap"]!["sections"]!.AsArray().SelectMany(section => section!["rows"]!.AsArray()))
            {
                row!["statuses"] = row["statuses"]!.GetValue<string>().Replace('s', 'h');
            }

            await route.FulfillAsync(new() { Response = response, Body = detail.ToJsonString() });
        });
        await platform.BuyAsync("fan-late", concertId, ["A-1-7"], [], OpsBrowserFixture.ApprovingCard);
        await Assertions.Expect(sold).ToHaveTextAsync("8", patience);
        await Assertions.Expect(page.Locator("[data-seat='A-1-7']")).ToHaveAttributeAsync("data-status", "held");
        seatMapLags = false;
        await platform.BuyAsync("fan-merch-only", concertId, [], [(lightstick, 1)], OpsBrowserFixture.ApprovingCard);
        await Assertions.Expect(page.Locator("[data-seat='A-1-7']")).ToHaveAttributeAsync("data-status", "sold", new() { Timeout = 60_000 });
        await Assertions.Expect(seat).ToHaveAttributeAsync("data-status", "sold");
        await page.UnrouteAllAsync();

        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "ops-dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        output.WriteLine($"Screenshot: {screenshot}");

        Assert.Empty(consoleErrors);
    }

    [Theory]
    [MemberData(nameof(AppLanguage.BrowserAndApp), MemberType = typeof(AppLanguage))]
    public async Task The_dashboard_speaks_the_operators_language(string browserLanguage, string language)
    {
        var messages = JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(
            Path.Combine(OpsBrowserFixture.RepositoryRoot(), "gateway", "clients", "ops", "src", "messages", language + ".json")))!;
        await using var context = await platform.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = browserLanguage,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(platform.GatewayAddress, "/ops").ToString());

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = messages["signIn.title"], Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel(messages["signIn.name"]).FillAsync($"ops-{language}");
        await page.GetByRole(AriaRole.Button, new() { Name = messages["signIn.submit"] }).ClickAsync();

        await Assertions.Expect(page.Locator("#kpi-orders-confirmed .kpi-label")).ToHaveTextAsync(messages["kpi.ordersConfirmed"]);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = messages["alerts.title"], Level = 2 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table:has(tbody#orders)").GetByRole(AriaRole.Columnheader, new() { Name = messages["orders.status"] })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#live-label")).ToHaveTextAsync(messages["top.live"], new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator(".user .user-role")).ToContainTextAsync(messages["top.operator"]);
        var merchDrops = page.Locator("#merch-panel");
        await Assertions.Expect(merchDrops.GetByRole(AriaRole.Heading, new() { Name = messages["drops.title"], Level = 2 })).ToBeVisibleAsync();
        await Assertions.Expect(merchDrops.Locator("table:has(tbody#merch-draws)").GetByRole(AriaRole.Columnheader, new() { Name = messages["drops.entries"], Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(merchDrops.Locator("table:has(tbody#merch-variants)").GetByRole(AriaRole.Columnheader, new() { Name = messages["drops.sellThrough"], Exact = true })).ToBeVisibleAsync();
        if (language == "ko")
        {
            var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "ops-dashboard-ko.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        }
    }
}
