using System.Text.Json.Nodes;
using Xunit;

namespace Ticketing.Testing;

/// <summary>Products as the tests list them through the gateway: a NOVA item with a fresh SKU, on sale now.</summary>
public static class TestProducts
{
    /// <summary>
    /// A product body; <paramref name="more"/> adds or replaces fields for the case at hand (a release time, a waiting
    /// room, a bundle's components, a lucky draw), written as an anonymous object with the API's field names.
    /// </summary>
    public static JsonObject Body(
        string name = "Official Lightstick", decimal price = 45000m, string currency = "KRW", int stock = 100, int limitPerFan = 2, object? more = null) =>
        RequestBodies.With(new
        {
            sku = $"T-{Guid.NewGuid():N}"[..20],
            name,
            artist = "NOVA",
            price,
            currency,
            stock,
            limitPerFan,
        }, more);

    /// <summary>Lists <paramref name="body"/> as an operator (201 expected) and returns the product's id.</summary>
    public static async Task<Guid> ListAsync(HttpClient operatorClient, JsonObject body)
    {
        using var created = await operatorClient.PostAsJsonAsync("/api/catalog/products", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
