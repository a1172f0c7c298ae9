namespace Ticketing.Catalog.Tests;

/// <summary>Valid requests the tests start from and bend into the case at hand.</summary>
internal static class Requests
{
    public static JsonObject Concert(string artist = "NOVA") => JsonNode.Parse($$"""
        {
          "artist": "{{artist}}",
          "title": "First Light World Tour",
          "venue": "KSPO Dome",
          "city": "Seoul",
          "timeZone": "Asia/Seoul",
          "startsAt": "{{DateTimeOffset.UtcNow.AddDays(40):O}}",
          "saleOpensAt": "{{DateTimeOffset.UtcNow.AddMinutes(-5):O}}",
          "ticketLimitPerFan": 4,
          "priceTiers": [
            { "code": "VIP", "name": "VIP standing", "price": 198000, "currency": "KRW" },
            { "code": "R", "name": "R seat", "price": 154000, "currency": "KRW" },
            { "code": "S", "name": "S seat", "price": 132000, "currency": "KRW" }
          ],
          "sections": [
            { "code": "A", "tier": "VIP", "rows": [ { "label": "1", "seats": 10 }, { "label": "2", "seats": 10 } ] },
            { "code": "B", "tier": "R", "rows": [ { "label": "1", "seats": 20 } ] },
            { "code": "C", "tier": "S", "rows": [ { "label": "1", "seats": 30 }, { "label": "2", "seats": 30 } ] }
          ]
        }
        """)!.AsObject();

    public static JsonObject Product(string? sku = null, int stock = 100, int limitPerFan = 2, DateTimeOffset? releaseAt = null, string artist = "NOVA")
    {
        var product = new JsonObject
        {
            ["sku"] = sku ?? $"NOVA-LS-{Guid.NewGuid():N}"[..20],
            ["name"] = "Official Lightstick ver. 2",
            ["artist"] = artist,
            ["description"] = "Bluetooth-synced lightstick.",
            ["price"] = 45000,
            ["currency"] = "KRW",
            ["stock"] = stock,
            ["limitPerFan"] = limitPerFan,
        };
        if (releaseAt is { } release)
        {
            product["releaseAt"] = release.ToString("O");
        }

        return product;
    }

    /// <summary>
    /// Every Catalog route that names one concert or product by its id (<c>{id}</c>), with its method: the cases of the
    /// tests that ask for an id the Catalog does not have.
    /// </summary>
    public static TheoryData<string, string> RoutesById => new()
    {
        { "GET", "/api/catalog/concerts/{id}" },
        { "PUT", "/api/catalog/concerts/{id}" },
        { "POST", "/api/catalog/concerts/{id}/publish" },
        { "POST", "/api/catalog/concerts/{id}/cancel" },
        { "GET", "/api/catalog/products/{id}" },
        { "POST", "/api/catalog/products/{id}/restock" },
    };

    /// <summary>A request to one of <see cref="RoutesById"/> for <paramref name="id"/>, with a valid body where the route takes one.</summary>
    public static HttpRequestMessage ById(string method, string route, Guid id)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), route.Replace("{id}", id.ToString()));
        if (method == "PUT")
        {
            request.Content = JsonContent.Create(Concert());
        }
        else if (route.EndsWith("/restock", StringComparison.Ordinal))
        {
            request.Content = JsonContent.Create(new { quantity = 5 });
        }

        return request;
    }

    public static async Task<JsonElement> CreatedAsync(this HttpClient client, string path, JsonNode body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return await response.ReadJsonAsync<JsonElement>();
    }

    public static async Task<Guid> CreateProductAsync(this HttpClient client, int stock = 100, int limitPerFan = 2, DateTimeOffset? releaseAt = null) =>
        (await client.CreatedAsync("/api/catalog/products", Product(stock: stock, limitPerFan: limitPerFan, releaseAt: releaseAt))).GetProperty("id").GetGuid();

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync<JsonElement>();
    }
}
