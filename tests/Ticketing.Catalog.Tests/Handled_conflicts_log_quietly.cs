using Marten;
using Microsoft.Extensions.Logging;

namespace Ticketing.Catalog.Tests;

/// <summary>The Catalog with every log entry captured in memory.</summary>
public sealed class LogCapturingCatalogFixture : IAsyncLifetime, ILoggerProvider
{
    private IsolatedDatabase database = null!;
    private IsolatedVirtualHost bus = null!;

    public ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    public ServiceHost<CatalogService> Catalog { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var servers = await TestServers.GetAsync();
        database = await IsolatedDatabase.CreateAsync(servers, "catalog-logs");
        bus = await IsolatedVirtualHost.CreateAsync(servers, "catalog-logs");
        Catalog = new ServiceHost<CatalogService>(PlatformFixture.ServiceSettings(database, bus.AmqpUri), listen: false)
        {
            ConfigureServices = services => services.AddSingleton<ILoggerProvider>(this),
        };
        await Catalog.StartAsync();
        using var client = Catalog.CreateClient();
        await PlatformFixture.WaitUntilReadyAsync(client);
    }

    public async Task DisposeAsync()
    {
        await Catalog.DisposeAsync();
        await bus.DisposeAsync();
        await database.DisposeAsync();
    }

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, Entries);

    void IDisposable.Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<(string, LogLevel, string, Exception?)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue((category, logLevel, formatter(state, exception), exception));
            }
        }
    }
}

public sealed record ProbeEvent(string Text);

/// <summary>
/// A lost write race the code expects and handles is no error in the logs (Marten used to log each as an error with its
/// SQL, which hid the real ones), while a command that fails for any other reason is still logged as an error.
/// </summary>
public sealed class Handled_conflicts_log_quietly(LogCapturingCatalogFixture catalog) : IClassFixture<LogCapturingCatalogFixture>
{
    [Fact]
    public async Task Two_operators_listing_one_sku_at_once_log_no_error_but_a_failing_query_does()
    {
        using var op = catalog.Catalog.CreateClient().WithToken(TestTokens.Operator("op-logs"));
        var sku = $"LOG-{Guid.NewGuid():N}"[..20];
        var before = catalog.Entries.Count;

        // Many at once, so that several pass the SKU lookup and lose on the unique index (handled: 409).
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => op.PostAsJsonAsync("/api/catalog/products", Requests.Product(sku))));
        Assert.Single(answers, answer => answer.StatusCode == HttpStatusCode.Created);
        Assert.All(answers.Where(answer => answer.StatusCode != HttpStatusCode.Created), answer => Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode));

        var duringRace = catalog.Entries.Skip(before).ToList();
        Assert.DoesNotContain(duringRace, entry => entry.Level >= LogLevel.Error);
        Assert.DoesNotContain(duringRace, entry => entry.Message.Contains("insert", StringComparison.OrdinalIgnoreCase) && entry.Level >= LogLevel.Warning);

        // A real failure is still an error, with the SQL that failed: PostgreSQL cannot store NUL in jsonb.
        var store = catalog.Catalog.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream(Guid.NewGuid(), new ProbeEvent("a\u0000b"));
            await Assert.ThrowsAnyAsync<Exception>(() => session.SaveChangesAsync());
        }

        Assert.True(catalog.Entries.Any(entry => entry.Level == LogLevel.Error && entry.Category == "Marten" && entry.Message.Contains("failed", StringComparison.Ordinal)),
            string.Join("\n", catalog.Entries.Where(entry => entry.Level >= LogLevel.Warning || entry.Category.StartsWith("Marten")).Select(entry => $"{entry.Level} {entry.Category}: {entry.Message}")));
    }
}
