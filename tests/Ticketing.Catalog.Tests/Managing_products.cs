using System.Text.Json.Nodes;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Catalog.Tests;

public sealed class Managing_products(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private HttpClient Client => catalog.Client;

    [Fact]
    public async Task A_listed_product_shows_its_stock_as_available_and_is_announced()
    {
        var request = Requests.Product(stock: 1000, limitPerFan: 2);

        using var response = await Client.PostAsJsonAsync("/api/catalog/products", request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var product = await response.ReadJsonAsync<JsonElement>();
        var id = product.GetProperty("id").GetGuid();
        Assert.Equal($"/api/catalog/products/{id}", response.Headers.Location?.OriginalString);
        var fetched = await Client.GetJsonAsync($"/api/catalog/products/{id}");
        Assert.Equal(1000, fetched.GetProperty("available").GetInt32());
        Assert.Equal(0, fetched.GetProperty("reserved").GetInt32());
        Assert.True(fetched.GetProperty("released").GetBoolean());
        Assert.False(fetched.GetProperty("soldOut").GetBoolean());
        var published = await catalog.Messages.WaitForAsync<ProductPublished>(message => message.ProductId == id);
        Assert.Equal(request["sku"]!.GetValue<string>().ToUpperInvariant(), published.Sku);
        Assert.Equal(45000m, published.Price);
        Assert.Equal(1000, published.Stock);
        Assert.Equal(2, published.LimitPerFan);
    }

    [Fact]
    public async Task A_product_released_later_says_so()
    {
        var releaseAt = DateTimeOffset.UtcNow.AddDays(3);
        var id = (await Client.CreatedAsync("/api/catalog/products", Requests.Product(releaseAt: releaseAt))).GetProperty("id").GetGuid();

        var product = await Client.GetJsonAsync($"/api/catalog/products/{id}");

        Assert.False(product.GetProperty("released").GetBoolean());
        Assert.Equal(releaseAt.ToUnixTimeSeconds(), product.GetProperty("releaseAt").GetDateTimeOffset().ToUnixTimeSeconds());
    }

    [Fact]
    public async Task A_sku_is_listed_once()
    {
        var sku = $"NOVA-ALB-{Guid.NewGuid():N}"[..20];
        await Client.CreatedAsync("/api/catalog/products", Requests.Product(sku));

        using var again = await Client.PostAsJsonAsync("/api/catalog/products", Requests.Product(sku.ToLowerInvariant()));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Concurrent_listings_of_one_sku_store_one_product()
    {
        var sku = $"NOVA-PC-{Guid.NewGuid():N}"[..20];

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Client.PostAsJsonAsync("/api/catalog/products", Requests.Product(sku))));

        Assert.Single(responses, response => response.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(response => response.StatusCode != HttpStatusCode.Created),
            response => Assert.Equal(HttpStatusCode.Conflict, response.StatusCode));
    }

    [Fact]
    public async Task Restocking_adds_to_stock_and_is_announced()
    {
        var id = await Client.CreateProductAsync(stock: 10);

        using var response = await Client.PostAsJsonAsync($"/api/catalog/products/{id}/restock", new { quantity = 15 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(25, (await response.ReadJsonAsync<JsonElement>()).GetProperty("available").GetInt32());
        Assert.Equal(25, (await Client.GetJsonAsync($"/api/catalog/products/{id}")).GetProperty("stock").GetInt32());
        var restocked = await catalog.Messages.WaitForAsync<ProductRestocked>(message => message.ProductId == id);
        Assert.Equal(15, restocked.Quantity);
        Assert.Equal(25, restocked.Stock);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(20_000_000)]
    public async Task A_bad_restock_quantity_is_refused_and_changes_nothing(int quantity)
    {
        var id = await Client.CreateProductAsync(stock: 10);

        using var response = await Client.PostAsJsonAsync($"/api/catalog/products/{id}/restock", new { quantity });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("quantity", out _));
        Assert.Equal(10, (await Client.GetJsonAsync($"/api/catalog/products/{id}")).GetProperty("stock").GetInt32());
    }

    [Fact]
    public async Task Restocking_an_unknown_product_is_a_404_problem()
    {
        using var response = await Client.PostAsJsonAsync($"/api/catalog/products/{Guid.NewGuid()}/restock", new { quantity = 1 });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_product_is_a_404_problem()
    {
        using var response = await Client.GetAsync($"/api/catalog/products/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_list_filters_by_artist_and_pages()
    {
        var artist = $"Merch {Guid.NewGuid():N}"[..20];
        for (var i = 0; i < 3; i++)
        {
            await Client.CreatedAsync("/api/catalog/products", Requests.Product(artist: artist));
        }

        var page = await Client.GetJsonAsync($"/api/catalog/products?artist={Uri.EscapeDataString(artist)}&pageSize=2");
        var last = await Client.GetJsonAsync($"/api/catalog/products?artist={Uri.EscapeDataString(artist)}&pageSize=2&page=2");

        Assert.Equal(3, page.GetProperty("totalCount").GetInt32());
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.Equal(1, last.GetProperty("items").GetArrayLength());
        Assert.All(page.GetProperty("items").EnumerateArray(), item => Assert.Equal(artist, item.GetProperty("artist").GetString()));
    }

    public static TheoryData<string, string, Action<JsonObject>> BadProducts => new()
    {
        { "short sku", "sku", p => p["sku"] = "AB" },
        { "sku with spaces", "sku", p => p["sku"] = "NOVA LS 1" },
        { "empty name", "name", p => p["name"] = "" },
        { "missing artist", "artist", p => p.Remove("artist") },
        { "zero price", "price", p => p["price"] = 0 },
        { "negative price", "price", p => p["price"] = -45000 },
        { "absurd price", "price", p => p["price"] = 5_000_000_000m },
        { "dollars with a fraction of a cent", "price", p => { p["currency"] = "USD"; p["price"] = 39.999m; } },
        { "unknown currency", "currency", p => p["currency"] = "ABC" },
        { "negative stock", "stock", p => p["stock"] = -1 },
        { "absurd stock", "stock", p => p["stock"] = 50_000_000 },
        { "limit 0", "limitPerFan", p => p["limitPerFan"] = 0 },
        { "limit 1000", "limitPerFan", p => p["limitPerFan"] = 1000 },
    };

    [Theory]
    [MemberData(nameof(BadProducts))]
    public async Task A_bad_product_is_refused_naming_the_field_and_nothing_is_stored(string because, string field, Action<JsonObject> spoil)
    {
        var request = Requests.Product(artist: $"Bad {Guid.NewGuid():N}"[..20]);
        spoil(request);

        using var response = await Client.PostAsJsonAsync("/api/catalog/products", request);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
        var errors = (await response.ReadJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"{because}: expected an error for {field}, got {errors}");
        if (request["artist"] is { } artist)
        {
            var stored = await Client.GetJsonAsync($"/api/catalog/products?artist={Uri.EscapeDataString(artist.GetValue<string>())}");
            Assert.Equal(0, stored.GetProperty("totalCount").GetInt32());
        }
    }
}
