using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Stock;

/// <summary>A product as the Catalog reports it (the fields the benchmark checks).</summary>
public sealed record ProductView(Guid Id, string Sku, int Stock, int Reserved, int Sold, int Available, int LimitPerFan);

/// <summary>The Catalog's product API, through the gateway.</summary>
public sealed class CatalogApi(Uri gateway) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient http = new()
    {
        BaseAddress = gateway,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = BenchTokens.Operator },
    };

    /// <summary>Lists a fresh product (SKU <c>BENCH-&lt;8 hex&gt;</c>) with the given stock, one unit per fan, on sale now.</summary>
    public async Task<ProductView> CreateProductAsync(string purpose, int stock, CancellationToken cancellationToken)
    {
        var sku = $"BENCH-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
        using var response = await http.PostAsJsonAsync(
            "api/catalog/products",
            new { sku, name = $"Bench {purpose}", artist = "Bench", price = 45000, currency = "KRW", stock, limitPerFan = 1 },
            Json,
            cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException(
                $"Creating product {sku} through the gateway answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return await ReadAsync(response, cancellationToken);
    }

    public async Task<ProductView> GetProductAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"api/catalog/products/{id}", cancellationToken);
        response.EnsureSuccessStatusCode();
        return await ReadAsync(response, cancellationToken);
    }

    public void Dispose() => http.Dispose();

    private static async Task<ProductView> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<ProductView>(Json, cancellationToken)
        ?? throw new InvalidOperationException("The Catalog answered an empty product.");
}
