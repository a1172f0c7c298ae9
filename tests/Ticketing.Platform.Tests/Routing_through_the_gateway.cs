namespace Ticketing.Platform.Tests;

public sealed class Routing_through_the_gateway(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task Catalog_requests_reach_the_catalog()
    {
        using var response = await platform.Client.GetAsync("/api/catalog/concerts");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ReadJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Array, page.GetProperty("items").ValueKind);
        Assert.Equal(1, page.GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task Orders_requests_reach_orders()
    {
        using var fan = platform.Fan("fan-routing");
        using var response = await fan.GetAsync($"/api/orders/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Order not found", (await response.ReadJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Tickets_requests_reach_tickets()
    {
        using var response = await platform.Client.GetAsync($"/api/tickets/concerts/{Guid.NewGuid()}/seats");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Concert not on sale here", (await response.ReadJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("/no-such-thing")]
    [InlineData("/api/unknown-service/x")]
    public async Task An_unknown_route_gets_a_problem_details_404_from_the_gateway(string path)
    {
        using var response = await platform.Client.GetAsync(path);

        var problem = await Problems.AssertAsync(response, HttpStatusCode.NotFound);
        Assert.True(problem.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task The_development_token_issuer_is_off_unless_configured()
    {
        using var response = await platform.Client.PostAsJsonAsync("/auth/token", new { userName = "fan-1", role = "operator" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/scalar")]
    [InlineData("/scalar/")]
    [InlineData("/scalar/scalar.js")]
    [InlineData("/openapi/catalog.json")]
    [InlineData("/openapi/queue.json")]
    public async Task The_API_reference_and_the_services_documents_are_off_unless_configured(string path)
    {
        using var response = await platform.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_correlation_id_sent_by_the_client_is_kept_and_returned()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/concerts");
        request.Headers.Add("X-Correlation-Id", "fan-app-42");

        using var response = await platform.Client.SendAsync(request);

        Assert.Equal("fan-app-42", Assert.Single(response.Headers.GetValues("X-Correlation-Id")));
    }

    [Fact]
    public async Task A_correlation_id_is_created_when_the_client_sends_none()
    {
        using var first = await platform.Client.GetAsync("/api/catalog/concerts");
        using var second = await platform.Client.GetAsync("/api/catalog/concerts");

        var firstId = Assert.Single(first.Headers.GetValues("X-Correlation-Id"));
        var secondId = Assert.Single(second.Headers.GetValues("X-Correlation-Id"));
        Assert.False(string.IsNullOrWhiteSpace(firstId));
        Assert.NotEqual(firstId, secondId);
    }

    [Fact]
    public async Task A_created_correlation_id_is_the_request_trace_id_so_logs_events_and_traces_share_it()
    {
        using var response = await platform.Client.GetAsync("/api/no-such-service/anything");

        var problem = await response.ReadJsonAsync<JsonElement>();
        var correlationId = Assert.Single(response.Headers.GetValues("X-Correlation-Id"));
        Assert.Matches("^[0-9a-f]{32}$", correlationId);
        Assert.Equal(correlationId, problem.GetProperty("correlationId").GetString());
        Assert.Equal(correlationId, problem.GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task The_gateway_is_ready_when_every_service_is()
    {
        using var response = await platform.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.ReadJsonAsync<JsonElement>();
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("upstreams").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Each_service_reports_its_database_and_bus_in_readiness()
    {
        using var client = platform.Catalog.CreateClient();

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = (await ready.ReadJsonAsync<JsonElement>()).GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("postgres").GetProperty("status").GetString());
        Assert.Contains(checks.EnumerateObject(), check => check.Name.Contains("masstransit", StringComparison.OrdinalIgnoreCase)
            && check.Value.GetProperty("status").GetString() == "Healthy");
    }
}
