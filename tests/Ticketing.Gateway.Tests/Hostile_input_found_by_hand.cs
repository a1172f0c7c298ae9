using System.Net.Sockets;
using System.Text;

namespace Ticketing.Gateway.Tests;

/// <summary>
/// What a hostile client found by hand through the gateway (issue #18), each answered with a 4xx problem now: pages past
/// the end, the all-zero id, NUL in a filter, non-ASCII and broken header values. That private answers are never cached is
/// tested with the other reads (<see cref="Reads_through_the_gateway"/>).
/// </summary>
public sealed class Hostile_input_found_by_hand(GatewayFixture platform) : IClassFixture<GatewayFixture>
{
    private const string Zero = "00000000-0000-0000-0000-000000000000";

    /// <summary>Reads a hostile client sent, as whom, and the query parameter each problem must name.</summary>
    public static TheoryData<string, string, string, string> HostileQueries => new()
    {
        { "a concert page far past the end", "anonymous", "/api/catalog/concerts?page=2147483647", "page" },
        { "a product page far past the end", "anonymous", "/api/catalog/products?page=2147483647", "page" },
        { "a page of a fan's orders far past the end", "fan", "/api/orders/mine?page=2147483647", "page" },
        { "a page of full pages of a fan's orders far past the end", "fan", "/api/orders/mine?page=2147483647&pageSize=100", "page" },
        { "NUL in a concert filter", "anonymous", "/api/catalog/concerts?artist=a%00b", "artist" },
        { "NUL in a product filter", "anonymous", "/api/catalog/products?artist=a%00b", "artist" },
        { "a terminal escape in a filter", "anonymous", "/api/catalog/concerts?artist=%1B%5B31m", "artist" },
    };

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task A_page_far_past_the_end_or_a_control_character_in_a_filter_is_a_400_problem_naming_the_parameter(
        string because, string caller, string path, string parameter)
    {
        using var client = platform.Caller(caller);

        using var response = await client.GetAsync(path);

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest, because);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"{because}: {problem}");
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
        using var client = platform.Caller(caller);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(path.EndsWith("/holds", StringComparison.Ordinal) ? new { seatIds = new[] { "A-1-1" } } : (object)new { quantity = 1 });
        }

        using var response = await client.SendAsync(request);

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
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
