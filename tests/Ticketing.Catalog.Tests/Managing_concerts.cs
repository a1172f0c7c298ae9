using System.Text;

namespace Ticketing.Catalog.Tests;

public sealed class Managing_concerts(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private HttpClient Client => catalog.Client;

    [Fact]
    public async Task A_new_concert_is_a_draft_with_its_capacity_and_venue_local_times()
    {
        var request = Requests.Concert();
        request["startsAt"] = "2031-05-10T10:00:00Z";
        request["saleOpensAt"] = "2031-04-01T03:00:00Z";

        using var response = await Client.PostAsJsonAsync("/api/catalog/concerts", request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var concert = await response.ReadJsonAsync<JsonElement>();
        var id = concert.GetProperty("id").GetGuid();
        Assert.Equal($"/api/catalog/concerts/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Draft", concert.GetProperty("status").GetString());
        Assert.False(concert.GetProperty("onSale").GetBoolean());
        Assert.Equal(100, concert.GetProperty("capacity").GetInt32());
        Assert.Equal("2031-05-10T19:00:00+09:00", concert.GetProperty("startsAtLocal").GetString());
        Assert.Equal("2031-04-01T12:00:00+09:00", concert.GetProperty("saleOpensAtLocal").GetString());
        var fetched = await Client.GetJsonAsync($"/api/catalog/concerts/{id}");
        Assert.Equal("KSPO Dome", fetched.GetProperty("venue").GetString());
        Assert.Equal(3, fetched.GetProperty("priceTiers").GetArrayLength());
        Assert.Equal(20, fetched.GetProperty("sections")[0].GetProperty("capacity").GetInt32());
    }

    [Fact]
    public async Task Publishing_puts_the_concert_on_sale_and_announces_its_whole_seat_map()
    {
        var id = (await Client.CreatedAsync("/api/catalog/concerts", Requests.Concert())).GetProperty("id").GetGuid();

        using var response = await Client.PostAsync($"/api/catalog/concerts/{id}/publish", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var concert = await response.ReadJsonAsync<JsonElement>();
        Assert.Equal("Published", concert.GetProperty("status").GetString());
        Assert.True(concert.GetProperty("onSale").GetBoolean());
        var published = await catalog.Messages.WaitForAsync<ConcertPublished>(message => message.ConcertId == id);
        Assert.Equal(100, published.Capacity);
        Assert.Equal(4, published.TicketLimitPerFan);
        Assert.Equal(["VIP", "R", "S"], published.PriceTiers.Select(tier => tier.Code));
        Assert.Equal(198000m, published.PriceTiers[0].Price);
        Assert.Equal("KRW", published.PriceTiers[0].Currency);
        Assert.Equal(["A", "B", "C"], published.Sections.Select(section => section.Code));
        Assert.Equal(30, published.Sections[2].Rows[1].Seats);
        Assert.Equal("Asia/Seoul", published.TimeZone);
    }

    [Fact]
    public async Task Publishing_twice_changes_nothing_the_second_time()
    {
        var id = (await Client.CreatedAsync("/api/catalog/concerts", Requests.Concert())).GetProperty("id").GetGuid();
        await Client.PostAsync($"/api/catalog/concerts/{id}/publish", null);

        using var again = await Client.PostAsync($"/api/catalog/concerts/{id}/publish", null);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, (await again.ReadJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        await catalog.Messages.WaitForAsync<ConcertPublished>(message => message.ConcertId == id);
        // The relay publishes in commit order: once a concert published after it is heard, a second copy would have been.
        var later = (await Client.CreatedAsync("/api/catalog/concerts", Requests.Concert())).GetProperty("id").GetGuid();
        (await Client.PostAsync($"/api/catalog/concerts/{later}/publish", null)).EnsureSuccessStatusCode();
        await catalog.Messages.WaitForAsync<ConcertPublished>(message => message.ConcertId == later);
        Assert.Single(catalog.Messages.All<ConcertPublished>(), message => message.ConcertId == id);
    }

    [Fact]
    public async Task A_draft_can_be_revised_but_a_published_concert_keeps_its_seat_map_and_prices()
    {
        var id = (await Client.CreatedAsync("/api/catalog/concerts", Requests.Concert())).GetProperty("id").GetGuid();
        var revised = Requests.Concert();
        revised["priceTiers"]![0]!["price"] = 220000;

        using var draftRevision = await Client.PutAsJsonAsync($"/api/catalog/concerts/{id}", revised);
        Assert.Equal(HttpStatusCode.OK, draftRevision.StatusCode);
        Assert.Equal(220000m, (await draftRevision.ReadJsonAsync<JsonElement>()).GetProperty("priceTiers")[0].GetProperty("price").GetDecimal());

        await Client.PostAsync($"/api/catalog/concerts/{id}/publish", null);
        revised["priceTiers"]![0]!["price"] = 99000;
        using var publishedRevision = await Client.PutAsJsonAsync($"/api/catalog/concerts/{id}", revised);

        Assert.Equal(HttpStatusCode.Conflict, publishedRevision.StatusCode);
        Assert.Equal("application/problem+json", publishedRevision.Content.Headers.ContentType?.MediaType);
        var current = await Client.GetJsonAsync($"/api/catalog/concerts/{id}");
        Assert.Equal(220000m, current.GetProperty("priceTiers")[0].GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task Cancelling_a_published_concert_announces_it_and_it_cannot_be_published_again()
    {
        var id = (await Client.CreatedAsync("/api/catalog/concerts", Requests.Concert())).GetProperty("id").GetGuid();
        await Client.PostAsync($"/api/catalog/concerts/{id}/publish", null);

        using var cancelled = await Client.PostAsJsonAsync($"/api/catalog/concerts/{id}/cancel", new { reason = "Venue flooding" });

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var concert = await cancelled.ReadJsonAsync<JsonElement>();
        Assert.Equal("Cancelled", concert.GetProperty("status").GetString());
        Assert.False(concert.GetProperty("onSale").GetBoolean());
        var message = await catalog.Messages.WaitForAsync<ConcertCancelled>(m => m.ConcertId == id);
        Assert.Equal("Venue flooding", message.Reason);
        using var republish = await Client.PostAsync($"/api/catalog/concerts/{id}/publish", null);
        Assert.Equal(HttpStatusCode.Conflict, republish.StatusCode);
    }

    [Fact]
    public async Task Cancelling_a_draft_needs_no_body()
    {
        var id = (await Client.CreatedAsync("/api/catalog/concerts", Requests.Concert())).GetProperty("id").GetGuid();

        using var cancelled = await Client.PostAsync($"/api/catalog/concerts/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("Cancelled", (await cancelled.ReadJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_list_filters_by_artist_pages_and_hides_drafts_unless_asked()
    {
        var artist = $"Artist {Guid.NewGuid():N}"[..20];
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await Client.CreatedAsync("/api/catalog/concerts", Requests.Concert(artist))).GetProperty("id").GetGuid();
            ids.Add(id);
            if (i < 2)
            {
                await Client.PostAsync($"/api/catalog/concerts/{id}/publish", null);
            }
        }

        var firstPage = await Client.GetJsonAsync($"/api/catalog/concerts?artist={Uri.EscapeDataString(artist.ToUpperInvariant())}&pageSize=1");
        var secondPage = await Client.GetJsonAsync($"/api/catalog/concerts?artist={Uri.EscapeDataString(artist)}&pageSize=1&page=2");
        var drafts = await Client.GetJsonAsync($"/api/catalog/concerts?artist={Uri.EscapeDataString(artist)}&status=Draft");

        Assert.Equal(2, firstPage.GetProperty("totalCount").GetInt32());
        Assert.True(firstPage.GetProperty("hasNextPage").GetBoolean());
        Assert.False(secondPage.GetProperty("hasNextPage").GetBoolean());
        var listed = new[] { firstPage, secondPage }.Select(page => page.GetProperty("items")[0].GetProperty("id").GetGuid()).ToHashSet();
        Assert.Equal(ids.Take(2).ToHashSet(), listed);
        Assert.Equal(ids[2], Assert.Single(drafts.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_draft_is_for_operators_only_and_the_public_list_carries_no_seat_maps()
    {
        using var anonymous = catalog.Anonymous();
        using var fan = catalog.Fan("fan-curious");
        var artist = $"Artist {Guid.NewGuid():N}"[..20];
        var id = (await Client.CreatedAsync("/api/catalog/concerts", Requests.Concert(artist))).GetProperty("id").GetGuid();

        using var draftToAnyone = await anonymous.GetAsync($"/api/catalog/concerts/{id}");
        using var draftToAFan = await fan.GetAsync($"/api/catalog/concerts/{id}");
        using var draftsToAnyone = await anonymous.GetAsync("/api/catalog/concerts?status=Draft");
        using var draftsToAFan = await fan.GetAsync("/api/catalog/concerts?status=Draft");
        using var draftToTheOperator = await Client.GetAsync($"/api/catalog/concerts/{id}");

        Assert.Equal(HttpStatusCode.NotFound, draftToAnyone.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, draftToAFan.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, draftsToAnyone.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, draftsToAFan.StatusCode);
        Assert.Equal(HttpStatusCode.OK, draftToTheOperator.StatusCode);
        Assert.True(draftToTheOperator.Headers.CacheControl?.NoStore);

        await Client.PostAsync($"/api/catalog/concerts/{id}/publish", null);
        using var published = await anonymous.GetAsync($"/api/catalog/concerts/{id}");
        var list = await anonymous.GetJsonAsync($"/api/catalog/concerts?artist={Uri.EscapeDataString(artist)}");

        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.True(published.Headers.CacheControl?.Public);
        Assert.InRange(published.Headers.CacheControl!.MaxAge!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.True((await published.ReadJsonAsync<JsonElement>()).TryGetProperty("sections", out _));
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.False(item.TryGetProperty("sections", out _));
        Assert.Equal(3, item.GetProperty("priceTiers").GetArrayLength());
        Assert.Equal(100, item.GetProperty("capacity").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Requests.RoutesById), MemberType = typeof(Requests))]
    public async Task An_unknown_concert_or_product_is_a_404_problem(string method, string route)
    {
        using var request = Requests.ById(method, route, Guid.NewGuid());

        using var response = await Client.SendAsync(request);

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string, Action<JsonObject>> BadConcerts => new()
    {
        { "empty artist", "artist", c => c["artist"] = " " },
        { "missing title", "title", c => c.Remove("title") },
        { "empty venue", "venue", c => c["venue"] = "" },
        { "unknown time zone", "timeZone", c => c["timeZone"] = "Mars/Olympus_Mons" },
        { "show in the past", "startsAt", c => c["startsAt"] = "2001-01-01T00:00:00Z" },
        { "sale after the show", "saleOpensAt", c => c["saleOpensAt"] = DateTimeOffset.UtcNow.AddDays(60).ToString("O") },
        { "ticket limit 0", "ticketLimitPerFan", c => c["ticketLimitPerFan"] = 0 },
        { "ticket limit 11", "ticketLimitPerFan", c => c["ticketLimitPerFan"] = 11 },
        { "no tiers", "priceTiers", c => c["priceTiers"] = new JsonArray() },
        { "negative price", "priceTiers[0].price", c => c["priceTiers"]![0]!["price"] = -1 },
        { "absurd price", "priceTiers[0].price", c => c["priceTiers"]![0]!["price"] = 1_000_000_000_000m },
        { "won with cents", "priceTiers[0].price", c => c["priceTiers"]![0]!["price"] = 198000.5m },
        { "unknown currency", "priceTiers[0].currency", c => c["priceTiers"]![0]!["currency"] = "XYZ" },
        { "mixed currencies", "priceTiers[1].currency", c => c["priceTiers"]![1]!["currency"] = "USD" },
        { "duplicate tier", "priceTiers[1].code", c => c["priceTiers"]![1]!["code"] = "VIP" },
        { "no sections", "sections", c => c["sections"] = new JsonArray() },
        { "duplicate section", "sections[1].code", c => c["sections"]![1]!["code"] = "A" },
        { "dash in section code", "sections[0].code", c => c["sections"]![0]!["code"] = "A-1" },
        { "unknown tier", "sections[0].tier", c => c["sections"]![0]!["tier"] = "GOLD" },
        { "duplicate row", "sections[0].rows[1].label", c => c["sections"]![0]!["rows"]![1]!["label"] = "1" },
        { "row without seats", "sections[0].rows[0].seats", c => c["sections"]![0]!["rows"]![0]!["seats"] = 0 },
        { "row too long", "sections[0].rows[0].seats", c => c["sections"]![0]!["rows"]![0]!["seats"] = 501 },
        { "venue over 100,000 seats", "sections", c => c["sections"] = new JsonArray(Enumerable.Range(1, 201)
            .Select(n => (JsonNode)new JsonObject { ["code"] = $"S{n}", ["tier"] = "VIP", ["rows"] = new JsonArray(new JsonObject { ["label"] = "1", ["seats"] = 500 }) }).ToArray()) },
    };

    [Theory]
    [MemberData(nameof(BadConcerts))]
    public async Task A_bad_concert_is_refused_naming_the_field_and_nothing_is_stored(string because, string field, Action<JsonObject> spoil)
    {
        var artist = $"Bad {Guid.NewGuid():N}"[..20];
        var request = Requests.Concert(artist);
        spoil(request);
        if (field != "artist")
        {
            Assert.Equal(artist, request["artist"]!.GetValue<string>());
        }

        using var response = await Client.PostAsJsonAsync("/api/catalog/concerts", request);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.ReadJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"{because}: expected an error for {field}, got {errors}");
        var stored = await Client.GetJsonAsync($"/api/catalog/concerts?artist={Uri.EscapeDataString(artist)}&status=Draft");
        Assert.Equal(0, stored.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Several_problems_are_reported_together()
    {
        var request = Requests.Concert();
        request["artist"] = "";
        request["ticketLimitPerFan"] = 0;
        request["sections"]![0]!["tier"] = "NOPE";

        using var response = await Client.PostAsJsonAsync("/api/catalog/concerts", request);

        var errors = (await response.ReadJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["artist", "sections[0].tier", "ticketLimitPerFan"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{ \"artist\": \"NOVA\", ")]
    [InlineData("{ \"ticketLimitPerFan\": \"four\" }")]
    [InlineData("[1, 2, 3]")]
    public async Task Malformed_json_is_a_400_problem(string body)
    {
        using var response = await Client.PostAsync("/api/catalog/concerts", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_missing_body_is_a_400_problem()
    {
        using var response = await Client.PostAsync("/api/catalog/concerts", new StringContent("", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_bad_page_size_is_a_400_problem()
    {
        using var response = await Client.GetAsync("/api/catalog/concerts?pageSize=1000");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("pageSize", out _));
    }
}
