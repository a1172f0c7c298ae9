namespace Ticketing.Browser.Tests;

/// <summary>
/// The platform with the gateway on a real loopback port (serving the built dashboard from gateway/wwwroot/ops and
/// the development token issuer), and a headless Chromium to drive it. <c>./ticketing test</c> builds the dashboard
/// (npm ci + build) and installs Chromium before the tests run.
/// </summary>
public sealed class OpsBrowserFixture : PlatformFixture, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ApprovingCard = "4242 4242 4242 4242";
    public const string DecliningCard = "4000 0000 0000 0002";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the gateway listens, as a browser reaches it.</summary>
    public Uri GatewayAddress => Gateway.Address;

    protected override bool GatewayListens => true;

    protected override Dictionary<string, string?> ConfigureGateway(Dictionary<string, string?> settings)
    {
        settings["Auth:DevelopmentIssuer:Enabled"] = "true";
        return settings;
    }

    public new async Task InitializeAsync()
    {
        var page = Path.Combine(RepositoryRoot(), "gateway", "wwwroot", "ops", "index.html");
        if (!File.Exists(page))
        {
            throw new InvalidOperationException(
                $"The dashboard is not built ({page} is missing): run ./ticketing test, or npm ci && npm run build in gateway/clients/ops.");
        }

        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: ./ticketing test installs it (apt-get install chromium).");
        }

        await base.InitializeAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
    }

    public new async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A concert on sale with sections A (VIP, 3 rows of 12) and B (R, 4 rows of 16), in KRW.</summary>
    public async Task<Guid> ConcertOnSaleAsync(string title)
    {
        using var op = Operator();
        var concert = TestConcerts.Body(
            title,
            "KSPO Dome",
            ticketLimitPerFan: 8,
            [new("VIP", "VIP", 198000m), new("R", "R seat", 154000m)],
            [new("A", "VIP", 12, 12, 12), new("B", "R", 16, 16, 16, 16)],
            daysAhead: 21);
        var id = await TestConcerts.PublishAsync(op, Client, concert, Patience);
        await Polling.UntilAsync(async () => (await op.GetAsync($"/api/insights/concerts/{id}")).IsSuccessStatusCode, Patience);
        return id;
    }

    public async Task<Guid> ProductAsync(string name, decimal price, int stock)
    {
        using var op = Operator();
        using var created = await op.PostAsJsonAsync("/api/catalog/products", new
        {
            sku = $"OPS-{Guid.NewGuid():N}"[..20],
            name,
            artist = "NOVA",
            price,
            currency = "KRW",
            stock,
            limitPerFan = 10,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>A fan holds the seats and checks out (with merch lines if any); returns the order id once it has ended or is confirmed.</summary>
    public async Task<Guid> BuyAsync(string fanId, Guid concertId, string[] seatIds, (Guid ProductId, int Quantity)[] items, string card)
    {
        using var fan = Fan(fanId);
        Guid? holdId = null;
        if (seatIds.Length > 0)
        {
            using var hold = await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds });
            Assert.True(hold.StatusCode == HttpStatusCode.Created, await hold.Content.ReadAsStringAsync());
            holdId = (await hold.ReadJsonAsync<JsonElement>()).GetProperty("holdId").GetGuid();
        }

        var orderId = await Polling.CheckoutAsync(fan, new
        {
            holdId,
            items = items.Select(item => new { productId = item.ProductId, quantity = item.Quantity }).ToArray(),
            payment = new { cardNumber = card },
        });
        using var op = Operator();
        await Polling.UntilAsync(async () =>
            (await op.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}")).GetProperty("status").GetString() != "Pending", Patience);
        return orderId;
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ticketing.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Ticketing.sln above {AppContext.BaseDirectory}.");
    }
}
