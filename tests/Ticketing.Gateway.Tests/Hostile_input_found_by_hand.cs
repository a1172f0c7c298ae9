using System.Net.Sockets;
using System.Text;

namespace Ticketing.Gateway.Tests;

/// <summary>
/// What a hostile client found by hand through the gateway (issue #18), each answered with a 4xx problem now: pages past
/// the end, the all-zero id, NUL in a filter, non-ASCII and broken header values; private answers are never cached.
/// </summary>
public sealed class Hostile_input_found_by_hand(GatewayFixture platform) : IClassFixture<GatewayFixture>
{
    private const string Zero = "00000000-0000-0000-0000-000000000000";

    [Theory]
    [InlineData("anonymous", "/api/catalog/concerts?page=2147483647")]
    [InlineData("anonymous", "/api/catalog/products?page=2147483647")]
    [InlineData("fan", "/api/orders/mine?page=2147483647")]
    [InlineData("fan", "/api/orders/mine?page=2147483647&pageSize=100")]
    public async Task A_page_far_past_the_end_is_a_400_problem_naming_page(string caller, string path)
    {
        using var client = Client(caller);

        using var response = await client.GetAsync(path);

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("page", out _), problem.ToString());
    }

    [Theory]
    [InlineData("fan", "DELETE", "/api/tickets/holds/" + Zero)]
    [InlineData("fan", "GET", "/api/tickets/holds/" + Zero)]
    [InlineData("fan", "POST", "/api/tickets/concerts/" + Zero + "/holds")]
    [InlineData("anonymous", "GET", "/api/tickets/concerts/" + Zero + "/seats")]
    [InlineData("operator", "POST", "/api/catalog/concerts/" + Zero + "/publish")]
    [InlineData("operator", "POST", "/api/catalog/concerts/" + Zero + "/cancel")]
    [InlineData("operator", "POST", "/api/catalog/products/" + Zero + "/restock")]
    [InlineData("operator", "POST", "/api/orders/" + Zero + "/cancel")]
    [InlineData("fan", "GET", "/api/orders/" + Zero)]
    public async Task The_all_zero_id_is_a_404_problem(string caller, string method, string path)
    {
        using var client = Client(caller);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(path.EndsWith("/holds", StringComparison.Ordinal) ? new { seatIds = new[] { "A-1-1" } } : (object)new { quantity = 1 });
        }

        using var response = await client.SendAsync(request);

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/catalog/concerts?artist=a%00b")]
    [InlineData("/api/catalog/products?artist=a%00b")]
    [InlineData("/api/catalog/concerts?artist=%1B%5B31m")]
    public async Task A_nul_or_control_character_in_a_filter_is_a_400_problem(string path)
    {
        using var anonymous = Client("anonymous");

        using var response = await anonymous.GetAsync(path);

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("artist", out _), problem.ToString());
    }

    [Fact]
    public async Task A_non_ascii_header_value_passes_the_gateway_without_a_502()
    {
        using var client = Utf8HeaderClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/catalog/concerts");
        request.Headers.TryAddWithoutValidation("X-Foo", "세");
        request.Headers.TryAddWithoutValidation("Accept-Language", "ko-KR, 한국어");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("주문-123")]
    [InlineData("key with spaces")]
    [InlineData("tab\tinside")]
    public async Task An_idempotency_key_outside_visible_ascii_is_a_400_problem_naming_the_header(string key)
    {
        using var client = Utf8HeaderClient(TestTokens.Fan("fan-utf8"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(new { items = new[] { new { productId = platform.ProductId, quantity = 1 } }, payment = new { cardNumber = GatewayFixture.ApprovingCard } }),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        using var response = await client.SendAsync(request);

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), problem.ToString());
    }

    [Fact]
    public async Task Header_bytes_that_are_not_utf8_are_refused_with_a_4xx_not_a_5xx()
    {
        var address = platform.Gateway.Address;
        using var socket = new TcpClient();
        await socket.ConnectAsync(address.Host, address.Port);
        await using var stream = socket.GetStream();
        var head = Encoding.ASCII.GetBytes($"GET /api/catalog/concerts HTTP/1.1\r\nHost: {address.Authority}\r\nX-Foo: ");
        byte[] broken = [0xC3, 0x28, 0xFF, 0xFE];
        var tail = Encoding.ASCII.GetBytes("\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head.Concat(broken).Concat(tail).ToArray());

        using var reader = new StreamReader(stream, Encoding.Latin1);
        var statusLine = await reader.ReadLineAsync() ?? "";

        Assert.Matches("^HTTP/1.1 4\\d\\d ", statusLine);
    }

    [Theory]
    [InlineData("fan", "GET", "/api/orders/mine")]
    [InlineData("fan", "GET", "/api/tickets/mine")]
    [InlineData("fan", "GET", "/api/orders/{order}")]
    [InlineData("fan", "GET", "/api/tickets/holds/{hold}")]
    [InlineData("anonymous", "POST", "/auth/token")]
    public async Task Tokens_and_a_fans_own_answers_are_never_stored_by_a_cache(string caller, string method, string path)
    {
        using var client = Client(caller);
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{order}", platform.OrderId.ToString()).Replace("{hold}", platform.HoldId.ToString()));
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { userName = "fan-cache", role = "fan" });
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"Cache-Control: {response.Headers.CacheControl}");
    }

    private HttpClient Client(string caller) => caller switch
    {
        "fan" => platform.Fan(GatewayFixture.Owner),
        "operator" => platform.Operator(),
        _ => platform.Gateway.CreateClient(),
    };

    /// <summary>A client of the gateway's real port that sends header values as UTF-8 (HttpClient refuses non-ASCII otherwise).</summary>
    private HttpClient Utf8HeaderClient(string? token = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 })
        {
            BaseAddress = platform.Gateway.Address,
        };
        return token is null ? client : client.WithToken(token);
    }
}
