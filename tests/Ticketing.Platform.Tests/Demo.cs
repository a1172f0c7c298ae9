namespace Ticketing.Platform.Tests;

/// <summary>A small but real concert for tests: two tiers, two sections, 30 seats.</summary>
internal static class Demo
{
    public static object Concert(string artist = "NOVA", DateTimeOffset? saleOpensAt = null) => new
    {
        artist,
        title = "First Light World Tour",
        venue = "Jamsil Arena",
        city = "Seoul",
        timeZone = "Asia/Seoul",
        startsAt = DateTimeOffset.UtcNow.AddDays(30),
        saleOpensAt = saleOpensAt ?? DateTimeOffset.UtcNow.AddMinutes(-1),
        ticketLimitPerFan = 4,
        priceTiers = new[]
        {
            new { code = "VIP", name = "VIP standing", price = 198000m, currency = "KRW" },
            new { code = "R", name = "R seat", price = 154000m, currency = "KRW" },
        },
        sections = new[]
        {
            new { code = "A", tier = "VIP", rows = new[] { new { label = "1", seats = 5 }, new { label = "2", seats = 5 } } },
            new { code = "B", tier = "R", rows = new[] { new { label = "1", seats = 10 }, new { label = "2", seats = 10 } } },
        },
    };

    public static async Task<Guid> PublishConcertAsync(HttpClient client, HttpRequestMessage? publish = null)
    {
        var created = await client.PostAsJsonAsync("/api/catalog/concerts", Concert());
        created.EnsureSuccessStatusCode();
        var id = (await created.ReadJsonAsync<IdOnly>()).Id;
        using var request = publish ?? new HttpRequestMessage(HttpMethod.Post, $"/api/catalog/concerts/{id}/publish");
        request.RequestUri = new Uri($"/api/catalog/concerts/{id}/publish", UriKind.Relative);
        (await client.SendAsync(request)).EnsureSuccessStatusCode();
        return id;
    }

    public sealed record IdOnly(Guid Id);
}
