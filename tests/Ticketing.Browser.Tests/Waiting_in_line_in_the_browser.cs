namespace Ticketing.Browser.Tests;

/// <summary>A drop with a waiting room, in Chromium, against the whole platform.</summary>
[Collection(FanAppCollection.Name)]
public sealed class Waiting_in_line_in_the_browser(FanAppFixture platform)
{
    [Fact]
    public async Task Two_fans_in_a_queue_of_three_one_is_let_in_to_the_seat_map_and_the_other_is_told_it_sold_out()
    {
        // Two seats, one admitted fan at a time: a fan joined through the API is let in first; two browsers wait.
        var concertId = await DropAsync("Queue Night", seats: 2);
        using (var first = platform.Fan("first-in-line"))
        {
            (await first.PostAsJsonAsync($"/api/queue/{concertId}/entries", new { })).EnsureSuccessStatusCode();
            await Polling.UntilAsync(async () => (await first.GetFromJsonAsync<JsonElement>($"/api/queue/{concertId}/entries/mine")).GetProperty("status").GetString() == "admitted", TimeSpan.FromSeconds(30));
        }

        await using var desktop = await platform.OpenAsync(1280);
        await using var phone = await platform.OpenAsync(375, "Asia/Seoul");
        await desktop.SignInAsync("jun");
        await phone.SignInAsync("hana");
        foreach (var fan in new[] { desktop, phone })
        {
            await fan.Page.GotoAsync($"/concerts/{concertId}");
            await Expect(fan.Page.GetByTestId("waiting-room")).ToBeVisibleAsync();
            await fan.Page.GetByRole(AriaRole.Button, new() { Name = "Join the waiting room" }).ClickAsync();
            await Expect(fan.Page.GetByTestId("queue-place")).ToBeVisibleAsync();
        }

        await Expect(desktop.Page.GetByTestId("queue-position")).ToHaveTextAsync("#1");
        await Expect(desktop.Page.GetByTestId("queue-ahead")).ToHaveTextAsync("You are next.");
        await Expect(phone.Page.GetByTestId("queue-position")).ToHaveTextAsync("#2");
        await Expect(phone.Page.GetByTestId("queue-ahead")).ToHaveTextAsync("1 fan ahead of you");
        await Expect(phone.Page.GetByTestId("queue-wait")).ToHaveTextAsync(new Regex("^Estimated wait: "));
        await Expect(phone.Page.GetByRole(AriaRole.Progressbar, new() { Name = "Progress to the front of the line" })).ToBeVisibleAsync();
        Assert.Empty(await desktop.SeriousAccessibilityViolationsAsync());
        Assert.Empty(await phone.SeriousAccessibilityViolationsAsync());
        await desktop.ScreenshotAsync("waiting-room");
        await phone.ScreenshotAsync("waiting-room");

        // The operator lets one more fan be active: the desktop fan is let in and lands on the seat map, pass ticking.
        using (var ops = platform.Operator())
        {
            (await ops.PutAsJsonAsync($"/api/queue/{concertId}/rate", new { admissionsPerMinute = 6_000, maxActive = 2 })).EnsureSuccessStatusCode();
        }

        await Expect(desktop.Page.GetByTestId("pass-banner")).ToHaveTextAsync(new Regex(@"^You're in: finish your order within (9|10):\d\d\.$"));
        await Expect(desktop.Seat("A-1-1")).ToBeVisibleAsync();
        await desktop.ScreenshotAsync("admitted");
        await Expect(phone.Page.GetByTestId("queue-position")).ToHaveTextAsync("#1");

        // The admitted fan holds both seats (the pass goes with the hold): nothing is left, and the phone is told at once.
        Assert.Equal(["A-1-1", "A-1-2"], await desktop.HoldSeatsAsync("A-1-1", "A-1-2"));

        await Expect(phone.Page.GetByTestId("queue-sold-out")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(phone.Page.GetByTestId("waiting-room")).ToHaveAttributeAsync("data-status", "sold_out");
        Assert.Empty(await phone.SeriousAccessibilityViolationsAsync());
        await phone.ScreenshotAsync("sold-out");
        Assert.Empty(desktop.ConsoleErrors);
        Assert.Empty(phone.ConsoleErrors);
    }

    [Fact]
    public async Task A_hold_without_being_let_in_is_explained()
    {
        var concertId = await DropAsync("Queue Night 2", seats: 4);
        using var fan = platform.Fan("skipper");

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tickets/concerts/{concertId}/holds") { Content = JsonContent.Create(new { tier = "R", quantity = 1 }) };
        using var refused = await fan.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await using var browser = await platform.OpenAsync(1280);
        await browser.SignInAsync("skipper");
        await browser.Page.GotoAsync($"/concerts/{concertId}");
        await Expect(browser.Page.GetByTestId("waiting-room")).ToBeVisibleAsync();
        await Expect(browser.Page.GetByText("Everyone who joins before the sale opens gets a random place")).ToBeVisibleAsync();
        Assert.Empty(browser.ConsoleErrors);
    }

    /// <summary>A concert with a waiting room, on sale since 30 s ago: one row of <paramref name="seats"/> in section A, one fan active at a time.</summary>
    private async Task<Guid> DropAsync(string title, int seats)
    {
        using var ops = platform.Operator();
        var saleOpensAt = DateTimeOffset.UtcNow.AddSeconds(-30);
        using var created = await ops.PostAsJsonAsync("/api/catalog/concerts", new
        {
            artist = "NOVA",
            title = $"{title} {Guid.NewGuid():N}"[..20],
            venue = "Olympic Hall",
            city = "Seoul",
            timeZone = "Asia/Seoul",
            startsAt = DateTimeOffset.UtcNow.AddDays(20),
            saleOpensAt,
            ticketLimitPerFan = 4,
            priceTiers = new[] { new { code = "R", name = "R seat", price = 132000m, currency = "KRW" } },
            sections = new[] { new { code = "A", tier = "R", rows = new[] { new { label = "1", seats } } } },
            waitingRoom = new { opensAt = saleOpensAt.AddMinutes(-10), admissionsPerMinute = 6_000, maxActive = 1 },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await ops.PostAsync($"/api/catalog/concerts/{id}/publish", null)).EnsureSuccessStatusCode();
        await Polling.UntilAsync(async () => (await Client.GetAsync($"/api/tickets/concerts/{id}/seats")).IsSuccessStatusCode
            && (await ops.GetAsync($"/api/queue/{id}")).IsSuccessStatusCode, TimeSpan.FromSeconds(60));
        return id;
    }

    private HttpClient Client => platform.Client;
}
