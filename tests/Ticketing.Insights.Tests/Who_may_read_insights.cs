namespace Ticketing.Insights.Tests;

/// <summary>Only operators read Insights: through the gateway, and from the service itself if someone gets past it.</summary>
[Collection(LiveInsightsCollection.Name)]
public sealed class Who_may_read_insights(InsightsFixture platform)
{
    private static readonly (string Caller, Func<string?> Token, int Expected)[] Callers =
    [
        ("anonymous", () => null, 401),
        ("fan", () => TestTokens.Fan("fan-curious"), 403),
        ("expired token", () => TestTokens.Expired("ops-old"), 401),
        ("wrong key", () => TestTokens.WrongKeyFan("fan-forger"), 401),
        ("fan with role tampered to operator", () => TestTokens.TamperedToOperator("fan-sly"), 401),
        ("operator", () => TestTokens.Operator("ops-1"), 200),
    ];

    [Fact]
    public async Task Every_route_refuses_everyone_but_an_operator()
    {
        var concertId = await platform.ConcertOnSaleAsync("Guarded Night");
        var productId = await platform.ProductAsync("Guarded Tote", 20m, stock: 5);
        await platform.UntilAsync($"/api/insights/concerts/{concertId}", _ => true);
        await platform.UntilAsync($"/api/insights/products/{productId}", _ => true);
        string[] routes = ["/api/insights/overview", $"/api/insights/concerts/{concertId}", $"/api/insights/products/{productId}", "/api/insights/stream"];

        var failures = new List<string>();
        foreach (var (via, client) in new[] { ("gateway", (Func<HttpClient>)platform.Gateway.CreateClient), ("service", platform.Insights.CreateClient) })
        {
            foreach (var route in routes)
            {
                foreach (var (caller, token, expected) in Callers)
                {
                    using var http = client();
                    if (token() is { } bearer)
                    {
                        http.WithToken(bearer);
                    }

                    using var response = await http.GetAsync(route, HttpCompletionOption.ResponseHeadersRead);
                    if ((int)response.StatusCode != expected)
                    {
                        failures.Add($"{via} {route} as {caller}: expected {expected}, got {(int)response.StatusCode}");
                    }
                    else if (expected != 200 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        failures.Add($"{via} {route} as {caller}: {(int)response.StatusCode} without problem details");
                    }
                }
            }
        }

        Assert.Empty(failures);
    }
}
