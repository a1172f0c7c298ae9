using System.Net.Http.Headers;
using System.Text;

namespace Ticketing.Gateway.Tests;

/// <summary>Bots, oversized or malformed requests and forged fields: each gets a 4xx problem, never a 500.</summary>
public sealed class Hostile_requests(GatewayFixture platform) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task A_burst_of_500_holds_from_one_fan_is_limited_while_another_fan_still_gets_through()
    {
        using var bot = platform.Fan("fan-bot");
        using var human = platform.Fan("fan-human");
        var holds = $"/api/tickets/concerts/{platform.ConcertId}/holds";

        var botRequests = Enumerable.Range(0, 500).Select(_ => bot.PostAsJsonAsync(holds, new { tier = "R", quantity = 1 })).ToList();
        var humanRequests = new[] { "A-2-1", "A-2-2", "A-2-3" }.Select(seat => human.PostAsJsonAsync(holds, new { seatIds = new[] { seat } })).ToList();
        var botAnswers = await Task.WhenAll(botRequests);
        var humanAnswers = await Task.WhenAll(humanRequests);

        var limited = botAnswers.Where(response => response.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(limited.Count, 500 - 2 * GatewayFixture.HoldLimitPerFan, 500 - GatewayFixture.HoldLimitPerFan);
        Assert.DoesNotContain(botAnswers, response => (int)response.StatusCode >= 500);
        var refusal = limited[0];
        Assert.Equal("application/problem+json", refusal.Content.Headers.ContentType?.MediaType);
        Assert.True(int.Parse(Assert.Single(refusal.Headers.GetValues("Retry-After"))) >= 1);
        Assert.Equal(429, (await refusal.ReadJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        Assert.All(humanAnswers, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
    }

    [Fact]
    public async Task A_10_MB_body_is_refused_with_413()
    {
        using var fan = platform.Fan("fan-big");
        var huge = new StringContent("{\"seatIds\":[\"" + new string('A', 10 * 1024 * 1024) + "\"]}", Encoding.UTF8, "application/json");

        using var response = await fan.PostAsync($"/api/tickets/concerts/{platform.ConcertId}/holds", huge);

        await Problems.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    /// <summary>Routes that read a JSON body, one of each service and the token issuer, with who may call each.</summary>
    public static TheoryData<string, string> JsonBodyRoutes => new()
    {
        { "/api/tickets/concerts/{concert}/holds", "fan" },
        { "/api/orders", "fan" },
        { "/api/catalog/concerts", "operator" },
        { "/api/catalog/products", "operator" },
        { "/auth/token", "anonymous" },
    };

    [Theory]
    [MemberData(nameof(JsonBodyRoutes))]
    public async Task Deeply_nested_json_is_refused_with_400(string path, string caller)
    {
        var nested = "{\"seatIds\":" + new string('[', 200) + new string(']', 200) + "}";

        using var response = await PostAsync(caller, "fan-deep", path, new StringContent(nested, Encoding.UTF8, "application/json"));

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [MemberData(nameof(JsonBodyRoutes))]
    public async Task A_body_that_is_not_json_is_refused_with_415(string path, string caller)
    {
        using var response = await PostAsync(caller, "fan-text", path, new StringContent("seatIds=A-1-1", Encoding.UTF8, "text/plain"));

        await Problems.AssertAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    // Authorization headers that prove nothing: a bearer that is no JWT, a JWT of junk parts, an unsigned JWT (alg none)
    // claiming the operator role, a bearer with no token, basic credentials.
    public static TheoryData<string> MalformedAuthorizations =>
        ["Bearer not-a-token", "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJmYW4tYSIsInJvbGUiOiJvcGVyYXRvciJ9.", "Bearer ", "Basic ZmFuLWE6c2VjcmV0"];

    [Theory]
    [MemberData(nameof(MalformedAuthorizations))]
    public async Task A_malformed_token_is_refused_with_401(string authorization)
    {
        using var response = await AnonymousGetAsync("/api/orders/mine", "Authorization", authorization);

        await Problems.AssertAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("PATCH", "/api/orders/{order}", 405)]
    [InlineData("PUT", "/api/tickets/check-in", 405)]
    [InlineData("GET", "/api/tickets/no-such-thing", 404)]
    public async Task A_path_or_method_the_gateway_does_not_route_gets_a_problem(string method, string path, int expected)
    {
        using var op = platform.Operator();

        using var response = await op.SendAsync(new HttpRequestMessage(new HttpMethod(method), platform.Resolve(path)));

        await Problems.AssertAsync(response, (HttpStatusCode)expected);
    }

    [Fact]
    public async Task A_hold_body_cannot_choose_its_owner_or_status()
    {
        using var fan = platform.Fan("fan-honest");
        using var content = new StringContent(
            "{\"seatIds\":[\"A-2-10\"],\"fanId\":\"someone-else\",\"status\":\"Sold\",\"total\":1}", Encoding.UTF8, "application/json");

        using var response = await fan.PostAsync($"/api/tickets/concerts/{platform.ConcertId}/holds", content);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var holdId = (await response.ReadJsonAsync<JsonElement>()).GetProperty("holdId").GetGuid();
        var hold = await fan.GetFromJsonAsync<JsonElement>($"/api/tickets/holds/{holdId}");
        Assert.Equal("Held", hold.GetProperty("status").GetString());
        Assert.Equal(154000m, hold.GetProperty("total").GetDecimal());
        using var someoneElse = platform.Fan("someone-else");
        Assert.Equal(HttpStatusCode.NotFound, (await someoneElse.GetAsync($"/api/tickets/holds/{holdId}")).StatusCode);
    }

    [Fact]
    public async Task An_order_body_cannot_set_its_total_status_or_owner()
    {
        var orderId = await platform.CheckoutAsync("fan-thrifty", JsonDocument.Parse($$"""
            {"items":[{"productId":"{{platform.ProductId}}","quantity":1,"price":1}],"payment":{"cardNumber":"{{GatewayFixture.ApprovingCard}}"},
             "total":1,"status":"Confirmed","fanId":"someone-else","currency":"USD"}
            """).RootElement);
        using var fan = platform.Fan("fan-thrifty");

        JsonElement order = default;
        await GatewayFixture.UntilAsync(async () =>
        {
            order = await fan.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");
            return order.GetProperty("status").GetString() != "Pending";
        });

        Assert.Equal("Confirmed", order.GetProperty("status").GetString());
        Assert.Equal(45000m, order.GetProperty("total").GetDecimal());
        Assert.Equal("KRW", order.GetProperty("currency").GetString());
        using var someoneElse = platform.Fan("someone-else");
        Assert.Equal(HttpStatusCode.NotFound, (await someoneElse.GetAsync($"/api/orders/{orderId}")).StatusCode);
    }

    // One answer of each kind: a public read, a refusal (no token), a route nobody serves, a health probe.
    public static TheoryData<string> AnswersOfEveryKind => ["/api/catalog/concerts", "/api/orders/mine", "/no-such-thing", "/health/live"];

    [Theory]
    [MemberData(nameof(AnswersOfEveryKind))]
    public async Task Every_answer_carries_the_security_headers_and_no_cors_headers(string path)
    {
        using var response = await AnonymousGetAsync(path, "Origin", "https://evil.example");

        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    /// <summary>Posts <paramref name="content"/> to the route as <paramref name="caller"/> (a fan is <paramref name="fanId"/>), with an Idempotency-Key.</summary>
    private async Task<HttpResponseMessage> PostAsync(string caller, string fanId, string path, HttpContent content)
    {
        using var client = platform.Caller(caller, fanId);
        using var request = new HttpRequestMessage(HttpMethod.Post, platform.Resolve(path)) { Content = content };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }

    /// <summary>Reads <paramref name="path"/> without a token, sending one header as it is (unvalidated).</summary>
    private async Task<HttpResponseMessage> AnonymousGetAsync(string path, string header, string value)
    {
        using var client = platform.Gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation(header, value);
        return await client.SendAsync(request);
    }
}
