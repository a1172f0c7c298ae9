using System.Text.Json.Nodes;
using Xunit;

namespace Ticketing.Testing;

/// <summary>Concerts as the tests list them through the gateway: on sale since a minute ago, in Seoul in 20 days.</summary>
public static class TestConcerts
{
    /// <summary>A price tier of a concert body.</summary>
    public sealed record Tier(string Code, string Name, decimal Price, string Currency = "KRW");

    /// <summary>A section of a concert body: its code, its tier and the seats of each row (labels 1, 2, …).</summary>
    public sealed record Section(string Code, string Tier, params int[] SeatsPerRow);

    /// <summary>
    /// A concert body by NOVA in Seoul, on sale since a minute ago, <paramref name="daysAhead"/> days from now;
    /// <paramref name="more"/> adds or replaces fields (e.g. a waiting room), with the API's field names.
    /// </summary>
    public static JsonObject Body(
        string title, string venue, int ticketLimitPerFan, IReadOnlyList<Tier> tiers, IReadOnlyList<Section> sections, int daysAhead = 20, object? more = null) =>
        RequestBodies.With(new
        {
            artist = "NOVA",
            title,
            venue,
            city = "Seoul",
            timeZone = "Asia/Seoul",
            startsAt = DateTimeOffset.UtcNow.AddDays(daysAhead),
            saleOpensAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            ticketLimitPerFan,
            priceTiers = tiers.Select(tier => new { code = tier.Code, name = tier.Name, price = tier.Price, currency = tier.Currency }).ToArray(),
            sections = sections.Select(section => new
            {
                code = section.Code,
                tier = section.Tier,
                rows = section.SeatsPerRow.Select((seats, i) => new { label = (i + 1).ToString(), seats }).ToArray(),
            }).ToArray(),
        }, more);

    /// <summary>
    /// A concert body with one section <c>A</c> of tier <c>R</c> (154,000 KRW), one row per entry of
    /// <paramref name="seatsPerRow"/> (labels 1, 2, …; seat ids <c>A-{row}-{n}</c>), titled <paramref name="title"/>
    /// and a unique suffix.
    /// </summary>
    public static JsonObject OnSale(string title, string venue, int ticketLimitPerFan, IReadOnlyList<int> seatsPerRow, object? more = null) =>
        Body($"{title} {Guid.NewGuid():N}"[..24], venue, ticketLimitPerFan, [new("R", "R seat", 154000m)], [new("A", "R", [.. seatsPerRow])], more: more);

    /// <summary>Lists and publishes <paramref name="concert"/> as an operator; returns once Tickets sells its seats.</summary>
    public static async Task<Guid> PublishAsync(HttpClient operatorClient, HttpClient anyone, object concert, TimeSpan timeout)
    {
        using var created = await operatorClient.PostAsJsonAsync("/api/catalog/concerts", concert);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await operatorClient.PostAsync($"/api/catalog/concerts/{id}/publish", null)).EnsureSuccessStatusCode();
        await Polling.UntilAsync(async () => (await anyone.GetAsync($"/api/tickets/concerts/{id}/availability")).IsSuccessStatusCode, timeout);
        return id;
    }
}
