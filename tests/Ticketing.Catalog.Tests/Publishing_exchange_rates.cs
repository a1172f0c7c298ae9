namespace Ticketing.Catalog.Tests;

/// <summary>Operators publish exchange rates; anyone reads them to show approximate prices (never to charge).</summary>
public sealed class Publishing_exchange_rates(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    [Fact]
    public async Task Published_rates_replace_the_previous_ones_and_are_read_by_anyone_marked_approximate()
    {
        using var anonymous = catalog.Anonymous();
        using (var none = await anonymous.GetAsync("/api/catalog/exchange-rates"))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        }

        using var first = await catalog.Client.PutAsJsonAsync("/api/catalog/exchange-rates", new { @base = "usd", rates = new { KRW = 1380.5m, JPY = 151.2m } });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await catalog.Client.PutAsJsonAsync("/api/catalog/exchange-rates", new { @base = "USD", rates = new { KRW = 1400m, THB = 35.1m } });
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        using var read = await anonymous.GetAsync("/api/catalog/exchange-rates");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Contains("public", read.Headers.CacheControl?.ToString());
        var sheet = await read.ReadJsonAsync<JsonElement>();
        Assert.Equal("USD", sheet.GetProperty("base").GetString());
        Assert.True(sheet.GetProperty("approximate").GetBoolean());
        var rates = sheet.GetProperty("rates");
        Assert.Equal(1400m, rates.GetProperty("KRW").GetDecimal());
        Assert.Equal(1m, rates.GetProperty("USD").GetDecimal());
        Assert.False(rates.TryGetProperty("JPY", out _));
    }

    [Fact]
    public async Task A_sheet_with_an_unknown_currency_a_rate_of_zero_or_a_fan_publishing_is_refused()
    {
        using var refused = await catalog.Client.PutAsJsonAsync("/api/catalog/exchange-rates", new { @base = "XYZ", rates = new Dictionary<string, decimal> { ["KRW"] = 0m, ["ABC"] = 2m } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.ReadJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("base", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("rates.KRW", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("rates", out _), errors.ToString());

        using var anonymous = catalog.Anonymous();
        using var unsigned = await anonymous.PutAsJsonAsync("/api/catalog/exchange-rates", new { @base = "USD", rates = new { KRW = 1400m } });
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
    }
}
