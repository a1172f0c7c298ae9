namespace Ticketing.Browser.Tests;

/// <summary>What a fan does in the app, as steps the tests read like a script.</summary>
public static class FanAppSteps
{
    public static readonly TimeSpan CheckoutTimeout = TimeSpan.FromSeconds(120);

    public static Task SignInAsync(this FanBrowser fan, string name) => fan.StepAsync($"signing in as {name}", async () =>
    {
        await fan.Page.GotoAsync("/signin");
        await fan.Page.GetByLabel("Your name").FillAsync(name);
        await fan.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(fan.Page.GetByTestId("signed-in-as")).ToHaveTextAsync($"Signed in as {name}");
    });

    /// <summary>A new browser (<paramref name="width"/> px wide) of <paramref name="name"/>, signed in, on <paramref name="concert"/>'s page.</summary>
    public static async Task<FanBrowser> SignedInAtConcertAsync(this FanAppFixture platform, string name, SeededConcert concert, int width = 1280)
    {
        var fan = await platform.OpenAsync(width);
        try
        {
            await fan.SignInAsync(name);
            await fan.OpenConcertAsync(concert);
            return fan;
        }
        catch
        {
            await fan.DisposeAsync();
            throw;
        }
    }

    public static Task OpenConcertAsync(this FanBrowser fan, SeededConcert concert) => fan.StepAsync($"opening {concert.Title} from the home page", async () =>
    {
        await fan.Page.GotoAsync("/");
        await fan.Page.GetByRole(AriaRole.Link, new() { Name = concert.Title }).ClickAsync();
        await Expect(fan.Page.GetByRole(AriaRole.Heading, new() { Name = concert.Title, Level = 1 })).ToBeVisibleAsync();
        await Expect(fan.Seat("A-1-1")).ToBeVisibleAsync();
    });

    public static ILocator Seat(this FanBrowser fan, string seatId) => fan.Page.Locator($"circle[data-seat-id='{seatId}']");

    public static async Task PickSeatsAsync(this FanBrowser fan, params string[] seatIds)
    {
        foreach (var seatId in seatIds)
        {
            await fan.Seat(seatId).ClickAsync();
            await Expect(fan.Seat(seatId)).ToHaveAttributeAsync("data-status", "selected");
        }
    }

    public static async Task HoldPickedSeatsAsync(this FanBrowser fan) =>
        await fan.Page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Hold (this seat|these \\d+ seats)$") }).ClickAsync();

    /// <summary>Picks <paramref name="seatIds"/>, holds them, and returns the seats of the hold panel once the hold is placed.</summary>
    public static async Task<IReadOnlyList<string>> HoldSeatsAsync(this FanBrowser fan, params string[] seatIds)
    {
        await fan.PickSeatsAsync(seatIds);
        await fan.HoldPickedSeatsAsync();
        return await fan.HeldSeatsAsync();
    }

    /// <summary>The seats of the hold panel once a hold is placed.</summary>
    public static async Task<IReadOnlyList<string>> HeldSeatsAsync(this FanBrowser fan)
    {
        await Expect(fan.Page.GetByTestId("hold-panel")).ToBeVisibleAsync();
        var seats = fan.Page.GetByTestId("held-seat");
        var ids = new List<string>();
        for (var i = 0; i < await seats.CountAsync(); i++)
        {
            ids.Add((await seats.Nth(i).GetAttributeAsync("data-seat-id"))!);
        }

        return ids;
    }

    /// <summary>Pays for what is in the cart on the checkout page and waits for the order to leave Pending.</summary>
    public static async Task<string> PayAsync(this FanBrowser fan, string card)
    {
        if (!fan.Page.Url.EndsWith("/checkout", StringComparison.Ordinal))
        {
            await fan.Page.GetByRole(AriaRole.Button, new() { Name = "Go to checkout" }).ClickAsync();
        }

        await fan.Page.GetByLabel("Card number").FillAsync(card);
        await fan.Page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Pay ") }).ClickAsync();
        var status = fan.Page.GetByTestId("order-status");
        await Expect(status).Not.ToHaveAttributeAsync("data-status", "Pending", new() { Timeout = (float)CheckoutTimeout.TotalMilliseconds });
        return (await status.GetAttributeAsync("data-status"))!;
    }

    /// <summary>Decodes a QR image on the page with jsQR (npm), run in the page.</summary>
    public static async Task<string?> DecodeQrAsync(this FanBrowser fan, ILocator image)
    {
        if (!await fan.Page.EvaluateAsync<bool>("() => typeof jsQR === 'function'"))
        {
            await fan.Page.EvaluateAsync(FanAppFixture.BrowserScript("jsQR.js"));
        }

        return await image.EvaluateAsync<string?>(
            """
            async img => {
              await img.decode();
              const canvas = document.createElement('canvas');
              canvas.width = img.naturalWidth;
              canvas.height = img.naturalHeight;
              const context = canvas.getContext('2d');
              context.drawImage(img, 0, 0);
              const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
              const found = jsQR(pixels.data, canvas.width, canvas.height);
              return found ? found.data : null;
            }
            """);
    }

    /// <summary>
    /// Every rule runs and every violating node is reported; only the passing, incomplete and inapplicable results are
    /// cut to one node per rule (axe-core's <c>resultTypes</c>), which the checks never read: on the language test's
    /// pages that halved the browser's CPU spent in axe-core (9.2 -> 4.6 s per language).
    /// </summary>
    private const string OnlyViolationsInFull = "resultTypes: ['violations']";

    /// <summary>axe-core (npm, 650 KB) in the page, loaded once per document.</summary>
    private static async Task EnsureAxeAsync(this FanBrowser fan)
    {
        if (!await fan.Page.EvaluateAsync<bool>("() => typeof axe === 'object'"))
        {
            await fan.Page.EvaluateAsync(FanAppFixture.BrowserScript("axe.min.js"));
        }
    }

    /// <summary>axe-core (npm) run on the page: the violations of impact serious or critical, described.</summary>
    public static async Task<IReadOnlyList<string>> SeriousAccessibilityViolationsAsync(this FanBrowser fan)
    {
        await fan.EnsureAxeAsync();
        var result = await fan.Page.EvaluateAsync<JsonElement>($"async () => {{ const r = await axe.run(document, {{ {OnlyViolationsInFull} }}); return {{ passes: r.passes.length, violations: r.violations }}; }}");
        Assert.True(result.GetProperty("passes").GetInt32() > 0, "axe-core checked nothing");
        return result.GetProperty("violations").EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} — " +
                string.Join(" | ", v.GetProperty("nodes").EnumerateArray().Take(3).Select(n => n.GetProperty("html").GetString())))
            .ToList();
    }

    /// <summary>
    /// The page in the dark theme (the system's preference emulated), checked for what a theme changes: colour contrast,
    /// serious or critical, by axe-core. Motion is reduced meanwhile, so no colour is caught halfway
    /// through a transition. The page is left in the light theme again.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DarkThemeContrastViolationsAsync(this FanBrowser fan)
    {
        await fan.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark, ReducedMotion = ReducedMotion.Reduce });
        try
        {
            // Every element styled afresh: after a live switch of the emulated scheme Chromium now and then kept an
            // inherited text colour of the light theme on a child (seen on the checkout's test-card list), which a page
            // opened in the dark theme never shows (see The_shop_looks_like_a_shop...). The theme's colours are checked here.
            await fan.Page.EvaluateAsync(
                """
                () => new Promise(done => {
                  const root = document.documentElement;
                  root.style.display = 'none';
                  void root.offsetHeight;
                  root.style.display = '';
                  requestAnimationFrame(() => requestAnimationFrame(done));
                })
                """);
            // axe-core forgets what it read at the end of every run (its teardown clears its caches and the flat tree), so
            // the copy that just checked the light theme reads the dark colours afresh: the planted-violation test shows it.
            await fan.EnsureAxeAsync();
            var violations = await fan.Page.EvaluateAsync<JsonElement>(
                $"async () => (await axe.run(document, {{ runOnly: {{ type: 'rule', values: ['color-contrast'] }}, {OnlyViolationsInFull} }})).violations");
            return violations.EnumerateArray()
                .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
                .Select(v => $"dark theme: {v.GetProperty("id").GetString()}: {v.GetProperty("help").GetString()} — " +
                    string.Join(" | ", v.GetProperty("nodes").EnumerateArray().Take(3).Select(n => $"{n.GetProperty("html").GetString()} {ContrastOf(n)}")))
                .ToList();
        }
        finally
        {
            await fan.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light, ReducedMotion = ReducedMotion.NoPreference });
        }
    }

    /// <summary>The colours axe-core measured for a node that failed colour contrast ("#fcd34d on #fef3c7, 1.4:1").</summary>
    private static string ContrastOf(JsonElement node)
    {
        foreach (var check in node.GetProperty("any").EnumerateArray())
        {
            if (check.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("fgColor", out var foreground))
            {
                return $"({foreground.GetString()} on {data.GetProperty("bgColor").GetString()}, {data.GetProperty("contrastRatio")}:1)";
            }
        }

        return "";
    }

    public static async Task ScreenshotAsync(this FanBrowser fan, string name)
    {
        var width = fan.Page.ViewportSize?.Width ?? 0;
        await fan.Page.ScreenshotAsync(new() { Path = Path.Combine(FanAppFixture.ScreenshotFolder, $"{name}-{width}.png"), FullPage = true });
    }
}
