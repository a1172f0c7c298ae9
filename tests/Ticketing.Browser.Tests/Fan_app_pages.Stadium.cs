using System.Diagnostics;

namespace Ticketing.Browser.Tests;

/// <summary>
/// (Part of the page tests, on their platform.) A 60,000-seat stadium on a phone: the map opens on its 40 sections with the seats each has left, then the seats of
/// one section; one tab stop for the map, arrow keys between seats; a seat held by another fan greys without a
/// reload. The render and update times are printed (and kept in docs/BENCHMARKS.md), not asserted: speed targets
/// live in benchmarks.
/// </summary>
public sealed partial class Fan_app_pages
{
    [Fact]
    public async Task A_stadium_opens_on_its_sections_then_one_section_is_used_by_keyboard_and_a_seat_taken_elsewhere_greys_live()
    {
        var concertId = await SeedStadiumAsync();
        await using var fan = await platform.OpenAsync(375, "Asia/Seoul");
        await fan.SignInAsync("stadium-fan");
        // A phone's slower processor: Chromium runs the page's scripts four times slower.
        var cdp = await fan.Context.NewCDPSessionAsync(fan.Page);
        await cdp.SendAsync("Emulation.setCPUThrottlingRate", new Dictionary<string, object> { ["rate"] = 4 });
        // The page's main-thread time (Chromium's own counters) besides the wall clock: on a shared, loaded box the wall
        // clock also counts waiting for a core, the main-thread time is the work the page did.
        await cdp.SendAsync("Performance.enable");
        async Task<(double Task, double Script, double Layout)> MainThreadAsync()
        {
            var metrics = (await cdp.SendAsync("Performance.getMetrics"))!.Value.GetProperty("metrics").EnumerateArray()
                .ToDictionary(metric => metric.GetProperty("name").GetString()!, metric => metric.GetProperty("value").GetDouble());
            return (metrics["TaskDuration"] * 1000, metrics["ScriptDuration"] * 1000, (metrics["LayoutDuration"] + metrics["RecalcStyleDuration"]) * 1000);
        }

        var beforeOverview = await MainThreadAsync();
        await fan.Page.GotoAsync($"/concerts/{concertId}");
        await Expect(fan.Page.GetByTestId("section")).ToHaveCountAsync(40, new() { Timeout = 60_000 });
        var afterOverview = await MainThreadAsync();
        // The app marks when the layout and the seat state were read and when the map was first drawn (ms after the
        // navigation started); the test's own clock would add its polling to the figure.
        var marks = await fan.Page.EvaluateAsync<JsonElement>(
            """
            () => {
              const at = (name) => Math.round(performance.getEntriesByName(name)[0]?.startTime ?? -1);
              const navigation = performance.getEntriesByType('navigation')[0];
              const layoutReads = performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('/layout'));
              const asked = Math.round(layoutReads[0]?.startTime ?? -1);
              return { html: Math.round(navigation.responseEnd), scripts: Math.round(navigation.domContentLoadedEventEnd), asked, layoutReads: layoutReads.length,
                layout: at('ticketing:layout-read'), state: at('ticketing:seat-state-read'), drawn: at('ticketing:seat-map-drawn') };
            }
            """);
        var drawnMs = marks.GetProperty("drawn").GetInt32();
        Assert.True(drawnMs > 0, "the app did not mark the seat map's first render");
        // The page's head asks for the layout before the app's scripts have run, and the app takes that answer (one read).
        Assert.Equal(1, marks.GetProperty("layoutReads").GetInt32());
        Assert.InRange(marks.GetProperty("asked").GetInt32(), 0, marks.GetProperty("scripts").GetInt32());
        output.WriteLine($"60,000 seats, phone profile (375x812 touch viewport, 4x CPU slowdown): section overview drawn {drawnMs} ms after navigation started " +
            $"(page {marks.GetProperty("html").GetInt32()} ms, layout asked {marks.GetProperty("asked").GetInt32()} ms, scripts run {marks.GetProperty("scripts").GetInt32()} ms, layout read {marks.GetProperty("layout").GetInt32()} ms, " +
            $"seat state read {marks.GetProperty("state").GetInt32()} ms); main thread busy {afterOverview.Task - beforeOverview.Task:0} ms " +
            $"(script {afterOverview.Script - beforeOverview.Script:0} ms, style and layout {afterOverview.Layout - beforeOverview.Layout:0} ms)");
        Assert.Empty(await fan.SeriousAccessibilityViolationsAsync());
        await Expect(fan.Page.Locator("[data-testid=section][data-section=S1]")).ToHaveAttributeAsync("data-available", "1500");

        // Into section S1 by keyboard: 1,500 seats drawn, one tab stop, arrow keys move, Enter picks.
        await fan.Page.Locator("[data-testid=section][data-section=S1]").FocusAsync();
        var beforeSection = await MainThreadAsync();
        var opened = Stopwatch.StartNew();
        await fan.Page.Keyboard.PressAsync("Enter");
        await Expect(fan.Page.Locator("circle[data-seat-id]")).ToHaveCountAsync(1500);
        var afterSection = await MainThreadAsync();
        output.WriteLine($"Section S1 (1,500 seats) drawn {opened.ElapsedMilliseconds} ms after Enter; main thread busy {afterSection.Task - beforeSection.Task:0} ms " +
            $"(script {afterSection.Script - beforeSection.Script:0} ms, style and layout {afterSection.Layout - beforeSection.Layout:0} ms)");
        await Expect(fan.Page.Locator("[data-testid=seat-map] [tabindex='0']")).ToHaveCountAsync(1);
        await fan.Page.Locator("[data-testid=seat-map] [tabindex='0']").FocusAsync();
        await fan.Page.Keyboard.PressAsync("ArrowRight");
        await fan.Page.Keyboard.PressAsync("ArrowDown");
        Assert.Equal("S1-2-2", await fan.Page.EvaluateAsync<string>("() => document.activeElement?.dataset.seatId"));
        await fan.Page.Keyboard.PressAsync("Enter");
        await Expect(fan.Seat("S1-2-2")).ToHaveAttributeAsync("data-status", "selected");
        await Expect(fan.Page.Locator("[data-testid=seat-map] [tabindex='0']")).ToHaveCountAsync(1);
        Assert.Empty(await fan.SeriousAccessibilityViolationsAsync());
        await fan.ScreenshotAsync("stadium-section");

        // Another fan holds S1-1-10: it greys on this phone without a reload, pushed over the seat-state stream.
        await Expect(fan.Seat("S1-1-10")).ToHaveAttributeAsync("data-status", "available");
        using var other = platform.Fan("stadium-rival");
        var taken = Stopwatch.StartNew();
        using (var hold = await other.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds = new[] { "S1-1-10" } }))
        {
            Assert.Equal(HttpStatusCode.Created, hold.StatusCode);
        }

        await Expect(fan.Seat("S1-1-10")).ToHaveAttributeAsync("data-status", "held");
        output.WriteLine($"A seat held by another fan greyed {taken.ElapsedMilliseconds} ms after the hold was answered");
        await fan.Page.GetByTestId("all-sections").ClickAsync();
        await Expect(fan.Page.Locator("[data-testid=section][data-section=S1]")).ToHaveAttributeAsync("data-available", "1499");
        Assert.Empty(fan.ConsoleErrors);
    }

    /// <summary>40 sections (S1..S40) of 30 rows of 50 seats: 60,000 seats, on sale now.</summary>
    private async Task<Guid> SeedStadiumAsync()
    {
        using var op = platform.Operator();
        var rows = Enumerable.Range(1, 30).Select(r => new { label = r.ToString(), seats = 50 }).ToArray();
        using var created = await op.PostAsJsonAsync("/api/catalog/concerts", new
        {
            artist = "NOVA",
            title = "Stadium Night",
            venue = "Seoul World Cup Stadium",
            city = "Seoul",
            timeZone = "Asia/Seoul",
            startsAt = DateTimeOffset.UtcNow.AddDays(30),
            saleOpensAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            ticketLimitPerFan = 4,
            priceTiers = new[]
            {
                new { code = "FLOOR", name = "Floor", price = 198000m, currency = "KRW" },
                new { code = "STAND", name = "Stand", price = 132000m, currency = "KRW" },
            },
            sections = Enumerable.Range(1, 40).Select(s => new { code = $"S{s}", tier = s <= 8 ? "FLOOR" : "STAND", rows }).ToArray(),
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await op.PostAsync($"/api/catalog/concerts/{id}/publish", null)).EnsureSuccessStatusCode();
        await Polling.UntilAsync(async () =>
        {
            using var state = await platform.Client.GetAsync($"/api/tickets/concerts/{id}/seat-state");
            return state.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(120));

        // On drop day the venue's layout has been read before this fan arrives (it never changes, so the gateway keeps
        // it): read once, so the figure is a fan's first render and not the services' first read of the venue.
        using var browserGateway = new HttpClient { BaseAddress = new Uri(platform.BaseUrl) };
        using var layout = await browserGateway.GetAsync($"/api/tickets/concerts/{id}/layout");
        Assert.True(layout.IsSuccessStatusCode);
        return id;
    }
}
