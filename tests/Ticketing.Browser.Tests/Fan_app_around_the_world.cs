using System.Globalization;

namespace Ticketing.Browser.Tests;

/// <summary>
/// One platform for the seven-language walk: a concert named in several languages (on sale now) and a drop with a
/// waiting room (its sale opens tomorrow), seeded once for every language.
/// </summary>
public sealed class SevenLanguagesFixture : FanAppFixture
{
    private readonly SemaphoreSlim seeding = new(1, 1);
    private (SeededConcert Concert, SeededConcert Drop)? seeded;

    public async Task<(SeededConcert Concert, SeededConcert Drop)> SeededAsync()
    {
        await seeding.WaitAsync();
        try
        {
            return seeded ??= (
                await SeedConcertAsync("Blue Hour", names: new
                {
                    artist = new Dictionary<string, string> { ["ko"] = "노바", ["en"] = "NOVA", ["ja"] = "ノヴァ", ["th"] = "โนวา" },
                    title = new Dictionary<string, string> { ["ko"] = "블루 아워", ["ja"] = "ブルーアワー", ["th"] = "บลูอาวร์" },
                    city = new Dictionary<string, string> { ["ko"] = "서울", ["ja"] = "ソウル", ["th"] = "โซล" },
                }),
                await SeedDropAsync());
        }
        finally
        {
            seeding.Release();
        }
    }

    private async Task<SeededConcert> SeedDropAsync()
    {
        var saleOpensAt = DateTimeOffset.UtcNow.AddDays(1);
        var drop = await SeedConcertAsync("Queue Night", saleOpensAt: saleOpensAt,
            waitingRoom: new { opensAt = DateTimeOffset.UtcNow.AddMinutes(-1), admissionsPerMinute = 600 });
        using var ops = Operator();
        await Polling.UntilAsync(async () => (await ops.GetAsync($"/api/queue/{drop.Id}")).IsSuccessStatusCode, TimeSpan.FromSeconds(60));
        return drop;
    }
}

/// <summary>
/// The fan app for fans anywhere: in each of its seven languages on a phone (375 px) — home, the waiting room, the
/// concert with a hold, checkout and tickets, each with no message missing from the language (test mode marks them),
/// nothing wider than the screen or cut off, and no serious axe-core violation (nor a contrast one in the dark theme) — times across a date line, prices
/// in the fan's currency, and tickets that open without a network.
/// </summary>
public sealed class Fan_app_around_the_world(SevenLanguagesFixture platform, ITestOutputHelper output) : IClassFixture<SevenLanguagesFixture>
{
    [Theory]
    [MemberData(nameof(AppLanguage.WithFanAppTexts), MemberType = typeof(AppLanguage))]
    public async Task Every_page_is_in_the_fans_language_fits_a_phone_and_is_accessible(string browserLanguage, string language, string artist, string vipPrice)
    {
        var (concert, drop) = await platform.SeededAsync();
        var index = AppLanguage.All.Select(row => row.App).ToList().IndexOf(language);
        string[] seats = [SeatOf(index * 2), SeatOf(index * 2 + 1)];
        await using var fan = await platform.OpenAsync(375, "Asia/Seoul", browserLanguage, markMissingTranslations: true);
        var problems = new List<string>();

        async Task CheckAsync(string page)
        {
            await Expect(fan.Page.Locator("html")).ToHaveAttributeAsync("lang", language);
            var missing = await fan.Page.EvaluateAsync<string[]>("() => window.__i18nMissing ?? []");
            problems.AddRange(missing.Select(key => $"{page}: no {language} message {key}"));
            if ((await fan.Page.InnerTextAsync("body")).Contains('⟦'))
            {
                problems.Add($"{page}: a message shows as its key");
            }

            problems.AddRange((await OverflowsAsync(fan.Page)).Select(overflow => $"{page}: {overflow}"));
            problems.AddRange((await fan.SeriousAccessibilityViolationsAsync()).Select(violation => $"{page}: {violation}"));
            problems.AddRange((await fan.DarkThemeContrastViolationsAsync()).Select(violation => $"{page}: {violation}"));
            await fan.ScreenshotAsync($"{page}-{language}");
        }

        await fan.Page.GotoAsync("/signin");
        await fan.Page.Locator("#fan-name").FillAsync($"fan-{language}");
        await fan.Page.GetByTestId("sign-in").ClickAsync();
        await Expect(fan.Page.GetByTestId("signed-in-as")).ToBeVisibleAsync();

        await fan.StepAsync("the home page in " + language, async () =>
        {
            await fan.Page.GotoAsync("/");
            var card = fan.Page.GetByTestId("concert-card").Filter(new() { Has = fan.Page.Locator($"a[href='/concerts/{concert.Id}']") });
            await Expect(card.GetByTestId("concert-artist")).ToHaveTextAsync(artist);
        });
        await CheckAsync("home");

        await fan.Page.GotoAsync($"/concerts/{drop.Id}");
        await fan.Page.GetByTestId("queue-join").ClickAsync();
        await Expect(fan.Page.GetByTestId("queue-before-draw")).ToBeVisibleAsync();
        await CheckAsync("queue");

        await fan.Page.GotoAsync($"/concerts/{concert.Id}");
        await Expect(fan.Page.GetByTestId("tier-price").First).ToContainTextAsync(vipPrice);
        foreach (var seat in seats)
        {
            await fan.Seat(seat).ClickAsync();
            await Expect(fan.Seat(seat)).ToHaveAttributeAsync("data-status", "selected");
        }

        await fan.Page.GetByTestId("hold-selected").ClickAsync();
        Assert.Equal(seats, await fan.HeldSeatsAsync());
        await CheckAsync("concert");

        await fan.Page.GotoAsync("/checkout");
        await fan.Page.Locator("#card-number").FillAsync(FanAppFixture.ApprovingCard);
        await CheckAsync("checkout");
        await fan.Page.GetByTestId("pay").ClickAsync();
        await Expect(fan.Page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "Confirmed",
            new() { Timeout = (float)FanAppSteps.CheckoutTimeout.TotalMilliseconds });

        await fan.Page.GotoAsync("/tickets");
        await Expect(fan.Page.GetByTestId("ticket-qr")).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await CheckAsync("tickets");

        problems.ForEach(output.WriteLine);
        Assert.Empty(problems);
        Assert.Empty(fan.ConsoleErrors);
    }

    [Fact]
    public async Task The_language_is_the_fans_choice_else_the_browsers_else_English()
    {
        await using (var french = await platform.OpenAsync(375, locale: "fr-FR"))
        {
            await french.Page.GotoAsync("/");
            await Expect(french.Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
            await Expect(french.Page.GetByRole(AriaRole.Link, new() { Name = "Home" })).ToBeVisibleAsync();

            await french.Page.GetByTestId("language-picker").SelectOptionAsync("ja");
            await Expect(french.Page.GetByRole(AriaRole.Link, new() { Name = "ホーム" })).ToBeVisibleAsync();
            await french.Page.ReloadAsync();
            await Expect(french.Page.Locator("html")).ToHaveAttributeAsync("lang", "ja");
            await Expect(french.Page.GetByRole(AriaRole.Heading, new() { Name = "これからのドロップ", Level = 1 })).ToBeVisibleAsync();
        }

        await using var portugal = await platform.OpenAsync(375, locale: "pt-PT");
        await portugal.Page.GotoAsync("/");
        await Expect(portugal.Page.Locator("html")).ToHaveAttributeAsync("lang", "pt-BR");
        await Expect(portugal.Page.GetByRole(AriaRole.Link, new() { Name = "Início" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_Seoul_sale_seen_from_Los_Angeles_names_both_days()
    {
        // 10:00 in Seoul on the 16th is 17:00 on the 15th in Los Angeles: both times, each with its weekday.
        var year = DateTime.UtcNow.Year + 1;
        var saleOpensAt = new DateTimeOffset(year, 1, 16, 10, 0, 0, TimeSpan.FromHours(9));
        var concert = await platform.SeedConcertAsync("Date Line", saleOpensAt: saleOpensAt);
        var english = CultureInfo.GetCultureInfo("en-US").DateTimeFormat;
        var losAngelesDay = english.GetAbbreviatedDayName(new DateTime(year, 1, 15).DayOfWeek);
        var seoulDay = english.GetAbbreviatedDayName(new DateTime(year, 1, 16).DayOfWeek);

        await using var losAngeles = await platform.OpenAsync(1280, "America/Los_Angeles");
        await losAngeles.Page.GotoAsync($"/concerts/{concert.Id}");
        var sale = losAngeles.Page.GetByTestId("sale-time");
        await Expect(sale).ToHaveTextAsync($"Sale opens {losAngelesDay}, Jan 15, {year}, 5:00 PM PST ({seoulDay}, Jan 16, {year}, 10:00 AM GMT+9 in Seoul)");
        await Expect(sale).ToHaveAttributeAsync("data-day-differs", "true");

        await using var korean = await platform.OpenAsync(375, "America/Los_Angeles", "ko-KR");
        await korean.Page.GotoAsync($"/concerts/{concert.Id}");
        var koreanSale = korean.Page.GetByTestId("sale-time");
        await Expect(koreanSale).ToContainTextAsync("1월 15일");
        await Expect(koreanSale).ToContainTextAsync("1월 16일");
        await Expect(koreanSale).ToContainTextAsync("Seoul 현지");

        await using var seoul = await platform.OpenAsync(375, "Asia/Seoul");
        await seoul.Page.GotoAsync($"/concerts/{concert.Id}");
        await Expect(seoul.Page.GetByTestId("sale-time")).ToHaveTextAsync($"Sale opens Jan 16, {year}, 10:00 AM GMT+9");
    }

    [Fact]
    public async Task My_tickets_show_their_QR_codes_offline_and_a_ticket_voided_meanwhile_after_the_next_sync()
    {
        var (concert, _) = await platform.SeededAsync();
        await using var fan = await platform.OpenAsync(375, "Asia/Seoul");
        await fan.SignInAsync("offline-fan");
        await fan.Page.GotoAsync($"/concerts/{concert.Id}");
        await fan.HoldSeatsAsync("C-3-9", "C-3-10");
        Assert.Equal("Confirmed", await fan.PayAsync(FanAppFixture.ApprovingCard));
        await fan.Page.GotoAsync("/tickets");
        await Expect(fan.Page.GetByTestId("ticket-qr")).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await Expect(fan.Page.GetByTestId("tickets-synced")).ToBeVisibleAsync();
        // The app is installable: a manifest, and a service worker that has precached the app.
        Assert.Equal("/manifest.webmanifest", await fan.Page.Locator("link[rel=manifest]").GetAttributeAsync("href"));
        Assert.True(await fan.Page.EvaluateAsync<bool>("async () => !!(await navigator.serviceWorker.ready).active"));

        await fan.Context.SetOfflineAsync(true);
        await fan.Page.ReloadAsync();
        await Expect(fan.Page.GetByTestId("ticket-qr")).ToHaveCountAsync(2);
        await Expect(fan.Page.GetByTestId("tickets-offline")).ToBeVisibleAsync();
        await Expect(fan.Page.GetByTestId("tickets-synced")).ToBeVisibleAsync();
        var code = await fan.DecodeQrAsync(fan.Page.GetByTestId("ticket-qr").First);
        Assert.False(string.IsNullOrEmpty(code));
        Assert.Empty(await fan.SeriousAccessibilityViolationsAsync());
        await fan.ScreenshotAsync("tickets-offline");

        // Refunded while the phone was offline: the tickets are void, and show so once the phone syncs again.
        using (var buyer = platform.Fan("offline-fan"))
        using (var ops = platform.Operator())
        {
            var orders = await buyer.GetFromJsonAsync<JsonElement>("/api/orders/mine");
            var orderId = orders.GetProperty("items")[0].GetProperty("orderId").GetString();
            (await ops.PostAsync($"/api/orders/{orderId}/cancel", null)).EnsureSuccessStatusCode();
            await Polling.UntilAsync(async () => (await buyer.GetFromJsonAsync<JsonElement>("/api/tickets/mine"))
                .EnumerateArray().All(ticket => ticket.GetProperty("status").GetString() == "Voided"), TimeSpan.FromSeconds(60));
        }

        await Expect(fan.Page.GetByTestId("ticket-qr")).ToHaveCountAsync(2);
        await fan.Context.SetOfflineAsync(false);
        await Expect(fan.Page.GetByTestId("ticket").And(fan.Page.Locator("[data-status=Voided]"))).ToHaveCountAsync(2);
        await Expect(fan.Page.GetByTestId("ticket-qr")).ToHaveCountAsync(0);
        await Expect(fan.Page.GetByTestId("tickets-offline")).ToHaveCountAsync(0);
        Assert.DoesNotContain(fan.ConsoleErrors, error => !error.Contains("ERR_INTERNET_DISCONNECTED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prices_show_in_the_charge_currency_with_an_approximate_amount_in_the_fans_currency()
    {
        var (concert, _) = await platform.SeededAsync();
        using (var ops = platform.Operator())
        {
            (await ops.PutAsJsonAsync("/api/catalog/exchange-rates", new { @base = "USD", rates = new { KRW = 1375m, JPY = 150m, THB = 36m } })).EnsureSuccessStatusCode();
        }

        await using var fan = await platform.OpenAsync(375, "Asia/Bangkok", "th-TH");
        await fan.Page.GotoAsync($"/concerts/{concert.Id}");
        await fan.Page.GetByTestId("currency-picker").SelectOptionAsync("USD");
        var vip = fan.Page.GetByTestId("tier-price").First;
        await Expect(vip).ToContainTextAsync("₩198,000");
        await Expect(vip.GetByTestId("approx-price")).ToHaveTextAsync("≈ US$144.00");

        // Remembered, and in Japanese a yen amount is written the Japanese way.
        await fan.Page.GetByTestId("currency-picker").SelectOptionAsync("JPY");
        await fan.Page.GetByTestId("language-picker").SelectOptionAsync("ja");
        await Expect(fan.Page.GetByTestId("tier-price").First.GetByTestId("approx-price")).ToHaveTextAsync("約 ￥21,600");
        await fan.Page.ReloadAsync();
        await Expect(fan.Page.GetByTestId("tier-price").First.GetByTestId("approx-price")).ToHaveTextAsync("約 ￥21,600");
        Assert.Empty(fan.ConsoleErrors);
    }

    private static string SeatOf(int index) => $"B-{index / 10 + 1}-{index % 10 + 1}";

    /// <summary>Elements reaching past the screen's edge, or cutting their own text, outside the scrollable seat map.</summary>
    private static async Task<string[]> OverflowsAsync(IPage page) => await page.EvaluateAsync<string[]>(
        """
        () => {
          const width = document.documentElement.clientWidth;
          const name = (el) => el.tagName.toLowerCase() + (el.dataset.testid ? `[${el.dataset.testid}]` : '') + ` "${(el.textContent ?? '').trim().slice(0, 40)}"`;
          const found = [];
          if (document.documentElement.scrollWidth > width) found.push(`the page is ${document.documentElement.scrollWidth}px wide`);
          for (const el of document.body.querySelectorAll('*')) {
            if (el.closest('.visually-hidden, .skip, .map-scroll, option, script, style')) continue;
            const style = getComputedStyle(el);
            if (style.display === 'none' || style.visibility === 'hidden') continue;
            const box = el.getBoundingClientRect();
            if (box.width === 0 || box.height === 0) continue;
            if (box.right > width + 1 || box.left < -1) found.push(`${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)}px`);
            else if (['hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) found.push(`${name(el)} cuts its text`);
          }
          return found.slice(0, 10);
        }
        """);
}
