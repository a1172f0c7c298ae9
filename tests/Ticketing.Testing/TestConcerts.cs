using System.Net.Http.Json;
using System.Text.Json;

namespace Ticketing.Testing;

/// <summary>Concerts as the tests list them through the gateway: on sale since a minute ago, in Seoul in 20 days.</summary>
public static class TestConcerts
{
    /// <summary>
    /// A concert body with one section <c>A</c> of tier <c>R</c> (154,000 KRW), one row per entry of
    /// <paramref name="seatsPerRow"/> (labels 1, 2, …; seat ids <c>A-{row}-{n}</c>), titled <paramref name="title"/>
    /// and a unique suffix.
    /// </summary>
    public static object OnSale(string title, string venue, int ticketLimitPerFan, IReadOnlyList<int> seatsPerRow) => new
    {
        artist = "NOVA",
        title = $"{title} {Guid.NewGuid():N}"[..24],
        venue,
        city = "Seoul",
        timeZone = "Asia/Seoul",
        startsAt = DateTimeOffset.UtcNow.AddDays(20),
        saleOpensAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        ticketLimitPerFan,
        priceTiers = new[] { new { code = "R", name = "R seat", price = 154000m, currency = "KRW" } },
        sections = new[]
        {
            new { code = "A", tier = "R", rows = seatsPerRow.Select((seats, i) => new { label = (i + 1).ToString(), seats }).ToArray() },
        },
    };

    /// <summary>Lists and publishes <paramref name="concert"/> as an operator; returns once Tickets sells its seats.</summary>
    public static async Task<Guid> PublishAsync(HttpClient operatorClient, HttpClient anyone, object concert, TimeSpan timeout)
    {
        using var created = await operatorClient.PostAsJsonAsync("/api/catalog/concerts", concert);
        var id = (await created.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await operatorClient.PostAsync($"/api/catalog/concerts/{id}/publish", null)).EnsureSuccessStatusCode();
        await Polling.UntilAsync(async () => (await anyone.GetAsync($"/api/tickets/concerts/{id}/availability")).IsSuccessStatusCode, timeout);
        return id;
    }
}
