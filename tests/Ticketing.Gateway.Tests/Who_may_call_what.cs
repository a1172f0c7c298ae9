using System.Net.Http.Headers;

namespace Ticketing.Gateway.Tests;

/// <summary>Every gateway route, called as each kind of caller, answers as the roles say.</summary>
public sealed class Who_may_call_what(GatewayFixture platform) : IClassFixture<GatewayFixture>
{
    // Columns: anonymous, fan (the owner, fan-a), other fan, operator, expired token, wrong key, role tampered to operator.
    private static readonly (string Route, int[] Expected)[] Table =
    [
        ("GET /api/catalog/concerts", [200, 200, 200, 200, 200, 200, 200]),
        ("GET /api/catalog/concerts/{concert}", [200, 200, 200, 200, 200, 200, 200]),
        ("GET /api/catalog/products/{product}", [200, 200, 200, 200, 200, 200, 200]),
        ("POST /api/catalog/concerts", [401, 403, 403, 201, 401, 401, 401]),
        ("POST /api/catalog/products", [401, 403, 403, 201, 401, 401, 401]),
        ("POST /api/catalog/products/{product}/restock", [401, 403, 403, 200, 401, 401, 401]),
        ("GET /api/tickets/concerts/{concert}/seats", [200, 200, 200, 200, 200, 200, 200]),
        ("GET /api/tickets/concerts/{concert}/availability", [200, 200, 200, 200, 200, 200, 200]),
        ("POST /api/tickets/concerts/{concert}/holds", [401, 201, 201, 403, 401, 401, 401]),
        ("GET /api/tickets/holds/{hold}", [401, 200, 404, 200, 401, 401, 401]),
        ("DELETE /api/tickets/holds/{holdToRelease}", [401, 204, 404, 403, 401, 401, 401]),
        ("GET /api/tickets/mine", [401, 200, 200, 403, 401, 401, 401]),
        ("POST /api/tickets/check-in", [401, 403, 403, 400, 401, 401, 401]),
        ("POST /api/orders", [401, 202, 202, 403, 401, 401, 401]),
        ("GET /api/orders/mine", [401, 200, 200, 403, 401, 401, 401]),
        ("GET /api/orders/{order}", [401, 200, 404, 200, 401, 401, 401]),
        ("POST /api/orders/{order}/cancel", [401, 403, 403, 200, 401, 401, 401]),
    ];

    private static readonly string[] Callers = ["anonymous", "fan", "other fan", "operator", "expired", "wrong key", "tampered role"];

    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var (route, expected) in Table)
        {
            for (var i = 0; i < Callers.Length; i++)
            {
                data.Add(route, Callers[i], expected[i]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_route_answers_each_caller_as_its_role_allows(string route, string caller, int expected)
    {
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
        using var client = platform.Gateway.CreateClient();
        if (Token(caller) is { } token)
        {
            client.WithToken(token);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), platform.Resolve(path)) { Content = Body(route) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == (int)response.StatusCode, $"{route} as {caller}: expected {expected}, got {(int)response.StatusCode} {body}");
        if (expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public void The_tampered_token_differs_from_the_signed_one_only_in_its_payload()
    {
        var signed = TestTokens.Fan("fan-a").Split('.');
        var tampered = TestTokens.TamperedToOperator("fan-a").Split('.');

        Assert.Equal(signed[0], tampered[0]);
        Assert.NotEqual(signed[1], tampered[1]);
        Assert.Equal(signed[2], tampered[2]);
    }

    [Theory]
    [InlineData("catalog", "POST", "/api/catalog/concerts", null, 401)]
    [InlineData("catalog", "POST", "/api/catalog/concerts", "fan", 403)]
    [InlineData("orders", "GET", "/api/orders/mine", null, 401)]
    [InlineData("orders", "POST", "/api/orders/{order}/cancel", "fan", 403)]
    [InlineData("tickets", "POST", "/api/tickets/concerts/{concert}/holds", null, 401)]
    [InlineData("tickets", "POST", "/api/tickets/concerts/{concert}/holds", "tampered role", 401)]
    [InlineData("tickets", "POST", "/api/tickets/check-in", "fan", 403)]
    [InlineData("tickets", "GET", "/api/tickets/mine", "operator", 403)]
    public async Task A_service_reached_directly_refuses_as_the_gateway_does(string service, string method, string path, string? caller, int expected)
    {
        using var client = service switch
        {
            "catalog" => platform.Catalog.CreateClient(),
            "orders" => platform.Orders.CreateClient(),
            _ => platform.Tickets.CreateClient(),
        };
        if (caller is not null)
        {
            client.WithToken(Token(caller)!);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), platform.Resolve(path)) { Content = Body($"{method} {path}") };
        using var response = await client.SendAsync(request);

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_fan_sees_only_their_own_tickets()
    {
        using var owner = platform.Fan(GatewayFixture.Owner);
        using var other = platform.Fan("fan-nosy");

        List<JsonElement> mine = [];
        await GatewayFixture.UntilAsync(async () =>
        {
            mine = (await owner.GetFromJsonAsync<List<JsonElement>>("/api/tickets/mine"))!;
            return mine.Count > 0;
        });
        var theirs = (await other.GetFromJsonAsync<List<JsonElement>>("/api/tickets/mine"))!;
        var theirOrders = await other.GetFromJsonAsync<JsonElement>("/api/orders/mine");

        Assert.Empty(theirs);
        Assert.Equal(0, theirOrders.GetProperty("totalCount").GetInt64());
    }

    [Fact]
    public async Task The_development_issuer_signs_tokens_the_services_accept()
    {
        using var anonymous = platform.Gateway.CreateClient();
        using var issued = await anonymous.PostAsJsonAsync("/auth/token", new { userName = "fan-dev", role = "fan" });
        using var refused = await anonymous.PostAsJsonAsync("/auth/token", new { userName = "fan-dev", role = "admin" });

        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var token = await issued.ReadJsonAsync<JsonElement>();
        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());
        Assert.Equal(3600, token.GetProperty("expiresIn").GetInt32());
        using var fan = platform.Gateway.CreateClient().WithToken(token.GetProperty("accessToken").GetString()!);
        using var mine = await fan.GetAsync("/api/orders/mine");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    private string? Token(string caller) => caller switch
    {
        "anonymous" => null,
        "fan" => TestTokens.Fan(GatewayFixture.Owner),
        "other fan" => TestTokens.Fan(GatewayFixture.OtherFan),
        "operator" => TestTokens.Operator("op-1"),
        "expired" => TestTokens.Expired(GatewayFixture.Owner),
        "wrong key" => TestTokens.WrongKeyFan(GatewayFixture.Owner),
        "tampered role" => TestTokens.TamperedToOperator(GatewayFixture.Owner),
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    private HttpContent? Body(string route) => route switch
    {
        "POST /api/catalog/concerts" => JsonContent.Create(GatewayFixture.ConcertBody()),
        "POST /api/catalog/products" => JsonContent.Create(GatewayFixture.ProductBody()),
        _ when route.EndsWith("/restock") => JsonContent.Create(new { quantity = 1 }),
        _ when route.EndsWith("/holds") => JsonContent.Create(new { tier = "R", quantity = 1 }),
        "POST /api/tickets/check-in" => JsonContent.Create(new { code = "not-a-ticket", concertId = platform.ConcertId }),
        "POST /api/orders" => JsonContent.Create(new
        {
            items = new[] { new { productId = platform.ProductId, quantity = 1 } },
            payment = new { cardNumber = GatewayFixture.ApprovingCard },
        }),
        _ when route.StartsWith("POST") => new StringContent("{}", new MediaTypeHeaderValue("application/json")),
        _ => null,
    };
}
