using Ticketing.Gateway.Routing;

namespace Ticketing.Browser.Tests;

/// <summary>
/// The whole platform on real PostgreSQL and RabbitMQ (<see cref="PlatformFixture"/>), plus a gateway listening on a
/// real Kestrel port that serves the built fan app (gateway/wwwroot) with the development token issuer on, and one
/// headless Debian Chromium driven by Playwright. The classes that need nothing special share one
/// (<see cref="FanAppCollection"/>), but for <c>Fan_app_pages</c>, which has one of its own so that its two minutes of
/// tests run beside the collection's; a class that needs other settings derives its own fixture.
/// </summary>
public class FanAppFixture : PlatformFixture, IAsyncLifetime
{
    /// <summary>Where Debian's chromium package puts the browser (Playwright's own download does not work here).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    public const string ApprovingCard = "4242 4242 4242 4242";
    public const string DecliningCard = "4000 0000 0000 0002";

    private IPlaywright? playwright;
    private ServiceHost<GatewayService>? browserGateway;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The gateway the browser talks to, e.g. http://127.0.0.1:41234.</summary>
    public string BaseUrl { get; private set; } = null!;

    /// <summary>Screenshots of each test run, under the test output folder.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    async Task IAsyncLifetime.InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: ./ticketing test installs it (apt-get install chromium).");
        }

        if (!File.Exists(Path.Combine(RepositoryRoot(), "gateway", "wwwroot", "index.html")))
        {
            throw new InvalidOperationException("gateway/wwwroot/index.html is missing: ./ticketing test builds the fan app (npm ci && npm run build in gateway/clients/fan).");
        }

        await InitializeAsync();
        browserGateway = new ServiceHost<GatewayService>(Gateway.Settings, listen: true);
        await browserGateway.StartAsync();
        BaseUrl = browserGateway.Address.ToString().TrimEnd('/');
        using (var client = new HttpClient { BaseAddress = new Uri(BaseUrl) })
        {
            await WaitUntilReadyAsync(client);
        }

        // A loaded 2-core box: give every expectation room before calling it failed.
        Assertions.SetDefaultExpectTimeout(20_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        if (browserGateway is not null)
        {
            await browserGateway.DisposeAsync();
        }

        await DisposeAsync();
    }

    protected override Dictionary<string, string?> ConfigureGateway(Dictionary<string, string?> settings)
    {
        // Fans sign in in the browser through the development issuer, as with ./ticketing up.
        settings["Auth:DevelopmentIssuer:Enabled"] = "true";
        settings["Gateway:ApiReference:Enabled"] = "true";
        return settings;
    }

    /// <summary>
    /// A fresh browser context (its own storage: another phone) at <paramref name="width"/> px in the given zone and
    /// browser language; with <paramref name="markMissingTranslations"/> the app shows a message missing from the
    /// language's catalog as ⟦key⟧ (no English fallback) and lists it in <c>window.__i18nMissing</c>. Without
    /// <paramref name="serviceWorkers"/> the app's service worker is not installed: Playwright's routes do not see the
    /// requests of a page a service worker controls.
    /// </summary>
    public async Task<FanBrowser> OpenAsync(
        int width = 1280, string timeZone = "America/New_York", string locale = "en-US", bool markMissingTranslations = false, bool serviceWorkers = true)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl,
            ViewportSize = new() { Width = width, Height = width < 500 ? 812 : 900 },
            TimezoneId = timeZone,
            Locale = locale,
            IsMobile = width < 500,
            HasTouch = width < 500,
            ServiceWorkers = serviceWorkers ? ServiceWorkerPolicy.Allow : ServiceWorkerPolicy.Block,
        });
        context.SetDefaultTimeout(30_000);
        if (markMissingTranslations)
        {
            await context.AddInitScriptAsync("localStorage.setItem('ticketing.i18nTest', '1');");
        }

        var page = await context.NewPageAsync();
        var fan = new FanBrowser(context, page);
        page.Console += (_, message) =>
        {
            // A refused API call (409, 422, ...) is logged by Chromium as a failed resource load; that is the app's
            // business to explain. Anything else (script errors, CSP refusals) is a bug.
            if (message.Type == "error" && !message.Text.Contains("Failed to load resource", StringComparison.Ordinal))
            {
                fan.ConsoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => fan.ConsoleErrors.Add(error);
        // What the API answered when it did not answer as the app expects, for the page's record (see DisposeAsync):
        // a failed step shows the app's message ("something went wrong"), not the status behind it.
        page.Response += (_, response) =>
        {
            var contentType = response.Headers.GetValueOrDefault("content-type", "");
            if (response.Url.Contains("/api/", StringComparison.Ordinal)
                && (response.Status >= 400 || (response.Status is >= 200 and < 300 and not 204 && !contentType.Contains("json", StringComparison.Ordinal))))
            {
                fan.UnexpectedAnswers.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {response.Status} {response.Request.Method} {response.Url} ({contentType})");
            }
        };
        page.RequestFailed += (_, request) =>
        {
            if (request.Url.Contains("/api/", StringComparison.Ordinal))
            {
                fan.UnexpectedAnswers.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} no answer {request.Method} {request.Url}: {request.Failure}");
            }
        };
        return fan;
    }

    /// <summary>Publishes a concert that is on sale now and waits until Tickets sells its seats.</summary>
    public async Task<SeededConcert> SeedConcertAsync(
        string title, int ticketLimitPerFan = 4, DateTimeOffset? saleOpensAt = null, string currency = "KRW", object? names = null, object? waitingRoom = null)
    {
        using var op = Operator();
        var startsAt = saleOpensAt is { } opens && opens.AddDays(7) > DateTimeOffset.UtcNow.AddDays(30) ? opens.AddDays(7) : DateTimeOffset.UtcNow.AddDays(30);
        var body = new
        {
            artist = "NOVA",
            title,
            venue = "Olympic Hall",
            city = "Seoul",
            timeZone = "Asia/Seoul",
            startsAt,
            saleOpensAt = saleOpensAt ?? DateTimeOffset.UtcNow.AddMinutes(-1),
            ticketLimitPerFan,
            names,
            waitingRoom,
            priceTiers = new[]
            {
                new { code = "VIP", name = "VIP", price = 198000m, currency },
                new { code = "R", name = "R seat", price = 132000m, currency },
            },
            sections = new[]
            {
                new { code = "A", tier = "VIP", rows = Rows(2, 8) },
                new { code = "B", tier = "R", rows = Rows(3, 10) },
                new { code = "C", tier = "R", rows = Rows(3, 10) },
            },
        };
        using var created = await op.PostAsJsonAsync("/api/catalog/concerts", body);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using var published = await op.PostAsync($"/api/catalog/concerts/{id}/publish", null);
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        await Polling.UntilAsync(async () =>
        {
            using var seats = await Client.GetAsync($"/api/tickets/concerts/{id}/seats");
            return seats.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(60));
        return new SeededConcert(id, title);
    }

    /// <summary>Lists a product and waits until Orders can sell it (it learns of products from Catalog's events).</summary>
    public async Task<Guid> SeedProductAsync(string name, int stock, int limitPerFan, DateTimeOffset? releaseAt = null)
    {
        using var op = Operator();
        using var created = await op.PostAsJsonAsync("/api/catalog/products", new
        {
            sku = "NOVA-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant(),
            name,
            artist = "NOVA",
            description = "Official merch of the NOVA world tour.",
            price = 35000m,
            currency = "KRW",
            stock,
            limitPerFan,
            releaseAt,
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Polling.UntilAsync(async () =>
        {
            await using var session = Orders.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
            return await session.LoadAsync<Ticketing.Orders.Products.PriceBookEntry>(id) is not null;
        }, TimeSpan.FromSeconds(60));
        return id;
    }

    /// <summary>The check-in endpoint's answer to a code, as the scanner (an operator) at a gate of the concert would get it.</summary>
    public async Task<HttpStatusCode> CheckInAsync(string code, Guid concertId)
    {
        using var op = Operator("gate-1");
        using var response = await op.PostAsJsonAsync("/api/tickets/check-in", new { code, concertId });
        return response.StatusCode;
    }

    public static string BrowserScript(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "browser-scripts", name);
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new InvalidOperationException($"{path} is missing: npm ci in gateway/clients/fan installs it (./ticketing test does), then rebuild.");
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Ticketing.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Ticketing.sln not found above " + AppContext.BaseDirectory);
    }

    private static object[] Rows(int count, int seats) => Enumerable.Range(1, count).Select(i => (object)new { label = i.ToString(), seats }).ToArray();
}

public sealed record SeededConcert(Guid Id, string Title);

/// <summary>One fan's browser: a context with its own storage, and its page.</summary>
public sealed class FanBrowser(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;

    public IPage Page { get; } = page;

    /// <summary>Script errors and console errors other than refused API calls.</summary>
    public List<string> ConsoleErrors { get; } = [];

    /// <summary>API calls answered 4xx/5xx, answered 2xx without JSON, or not answered at all (kept in the page's record).</summary>
    public ConcurrentQueue<string> UnexpectedAnswers { get; } = new();

    /// <summary>
    /// Keeps the page as it was last seen (screenshots/last/), which tells what went wrong when a step timed out: its
    /// text in full, and what the screen showed as a JPEG (a full-page PNG of every fan of every test cost the browser
    /// more than some of the tests did).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            var folder = Path.Combine(FanAppFixture.ScreenshotFolder, "last");
            Directory.CreateDirectory(folder);
            var name = $"{DateTime.UtcNow:HHmmss.fff}-{Page.ViewportSize?.Width}";
            await Page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".jpg"), Type = ScreenshotType.Jpeg, Quality = 70 });
            await File.WriteAllTextAsync(Path.Combine(folder, name + ".txt"), await RecordAsync());
        }
        catch (PlaywrightException)
        {
            // the page is already gone; nothing to keep
        }

        await Context.CloseAsync();
    }

    /// <summary>
    /// What the page is and was told: its address, script errors, the API calls that did not answer as the app expects
    /// (with times), and its text (cut at <paramref name="textLimit"/> characters).
    /// </summary>
    public async Task<string> RecordAsync(int textLimit = int.MaxValue)
    {
        string text;
        try
        {
            text = await Page.InnerTextAsync("body", new() { Timeout = 5_000 });
        }
        catch (Exception failure) when (failure is PlaywrightException or TimeoutException)
        {
            text = $"(no text: {failure.Message})";
        }

        return $"""
            page: {Page.Url} at {DateTime.UtcNow:HH:mm:ss.fff}
            script errors: {(ConsoleErrors.Count == 0 ? "none" : string.Join("\n", ConsoleErrors))}
            API answers not as expected: {(UnexpectedAnswers.IsEmpty ? "none" : "\n" + string.Join("\n", UnexpectedAnswers))}
            page text:
            {(text.Length > textLimit ? text[..textLimit] + " [...]" : text)}
            """;
    }

    /// <summary>
    /// Runs one step of a test (<paramref name="step"/> says which); when it times out, the failure says what the page
    /// showed and what the API answered (<see cref="RecordAsync"/>), so a CI log explains a failure by itself.
    /// </summary>
    public async Task StepAsync(string step, Func<Task> act)
    {
        try
        {
            await act();
        }
        catch (Exception failure) when (failure is PlaywrightException or TimeoutException)
        {
            throw new PageStepFailedException($"{step}: {failure.Message}\n--- the page ---\n{await RecordAsync(textLimit: 2_000)}", failure);
        }
    }
}

/// <summary>A browser step that failed, with what the page showed (see <see cref="FanBrowser.StepAsync"/>).</summary>
public sealed class PageStepFailedException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The test classes that share one <see cref="FanAppFixture"/>: starting a platform and a browser costs a class more
/// CPU than most of its tests, and on 2 cores the run is CPU-bound. They run one after another; each seeds its own
/// concerts, products and fans, so none sees another's state except as more cards on the home page. A collection's
/// classes run one after another on one test thread: one long class belongs beside it, not in it (<c>Fan_app_pages</c>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class FanAppCollection : ICollectionFixture<FanAppFixture>
{
    public const string Name = "Fan app on one platform";
}
