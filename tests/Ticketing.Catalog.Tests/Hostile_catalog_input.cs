using System.Text;

namespace Ticketing.Catalog.Tests;

/// <summary>
/// Input a hostile client tried by hand (issue #18): each answered with a 4xx problem that says what was wrong in the
/// client's terms, never a 500 and never a name from inside the service; drafts stay the operators' own.
/// </summary>
public sealed class Hostile_catalog_input(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    /// <summary>Reads a hostile client sent, each with the query parameter its problem must name.</summary>
    public static TheoryData<string, string, string> HostileQueries => new()
    {
        { "a page far past the end", "/api/catalog/concerts?page=2147483647", "page" },
        { "a page far past the end of full pages", "/api/catalog/concerts?page=2147483647&pageSize=100", "page" },
        { "a page whose first item is past int.MaxValue", "/api/catalog/concerts?page=21474837&pageSize=100", "page" },
        { "a product page far past the end", "/api/catalog/products?page=2147483647", "page" },
        { "a product page far past the end of full pages", "/api/catalog/products?page=2147483647&pageSize=100", "page" },
        { "NUL in a concert filter", "/api/catalog/concerts?artist=a%00b", "artist" },
        { "NUL in a product filter", "/api/catalog/products?artist=a%00b", "artist" },
        { "control characters in a filter", "/api/catalog/concerts?artist=%01%02", "artist" },
        { "a status that does not exist", "/api/catalog/concerts?status=Bogus", "status" },
        { "a page that is not a number", "/api/catalog/concerts?page=abc", "page" },
        { "a page size that is not a whole number", "/api/catalog/products?pageSize=1e3", "pageSize" },
    };

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task A_hostile_query_is_a_400_problem_naming_the_parameter_and_no_internal_type(string because, string path, string parameter)
    {
        using var anonymous = catalog.Anonymous();

        using var response = await anonymous.GetAsync(path);

        AssertNamesTheFieldAndNothingInternal(await Problems.AssertAsync(response, HttpStatusCode.BadRequest), parameter, because);
    }

    [Theory]
    [MemberData(nameof(Requests.RoutesById), MemberType = typeof(Requests))]
    public async Task The_all_zero_id_is_a_404_problem(string method, string route)
    {
        using var request = Requests.ById(method, route, Guid.Empty);

        using var response = await catalog.Client.SendAsync(request);

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
    }

    /// <summary>Bodies a hostile client sent, each to concerts or products, with the field its problem must name (in JSON terms).</summary>
    public static TheoryData<string, string, Func<JsonNode>, string> HostileBodies => new()
    {
        { "NUL in a concert's title", "concerts", () => WithNul(Requests.Concert(), "title"), "title" },
        { "NUL in a concert's artist", "concerts", () => WithNul(Requests.Concert(), "artist"), "artist" },
        { "NUL in a concert's venue", "concerts", () => WithNul(Requests.Concert(), "venue"), "venue" },
        { "NUL in a product's name", "products", () => WithNul(Requests.Product(), "name"), "name" },
        { "NUL in a product's description", "products", () => WithNul(Requests.Product(), "description"), "description" },
        { "a price tier that is a number", "concerts", () => JsonNode.Parse("""{"priceTiers":[1]}""")!, "priceTiers[0]" },
        { "a price that is a word", "concerts", () => JsonNode.Parse("""{"priceTiers":[{"price":"cheap"}]}""")!, "priceTiers[0].price" },
        { "seats that are a word", "concerts", () => JsonNode.Parse("""{"sections":[{"rows":[{"seats":"many"}]}]}""")!, "sections[0].rows[0].seats" },
        { "a ticket limit that is a word", "concerts", () => JsonNode.Parse("""{"ticketLimitPerFan":"four"}""")!, "ticketLimitPerFan" },
        { "a start that is not a date", "concerts", () => JsonNode.Parse("""{"startsAt":"next tuesday"}""")!, "startsAt" },
        { "an artist that is an object", "concerts", () => JsonNode.Parse("""{"artist":{"name":"NOVA"}}""")!, "artist" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task A_hostile_body_is_a_400_problem_naming_the_field_and_no_internal_type(string because, string resource, Func<JsonNode> body, string field)
    {
        using var content = new StringContent(body().ToJsonString(), Encoding.UTF8, "application/json");

        using var response = await catalog.Client.PostAsync($"/api/catalog/{resource}", content);

        AssertNamesTheFieldAndNothingInternal(await Problems.AssertAsync(response, HttpStatusCode.BadRequest), field, because);
    }

    [Fact]
    public async Task A_nul_character_in_a_cancellation_reason_is_a_400_problem()
    {
        var id = (await catalog.Client.CreatedAsync("/api/catalog/concerts", Requests.Concert())).GetProperty("id").GetGuid();

        using var response = await catalog.Client.PostAsJsonAsync($"/api/catalog/concerts/{id}/cancel", new { reason = "rain\u0000" });

        AssertNamesTheFieldAndNothingInternal(await Problems.AssertAsync(response, HttpStatusCode.BadRequest), "reason", "NUL in a cancellation reason");
    }

    [Fact]
    public async Task Drafts_are_listed_and_shown_to_operators_only()
    {
        var artist = $"Draft {Guid.NewGuid():N}"[..20];
        var draftId = (await catalog.Client.CreatedAsync("/api/catalog/concerts", Requests.Concert(artist))).GetProperty("id").GetGuid();
        var query = $"/api/catalog/concerts?artist={Uri.EscapeDataString(artist)}";

        using var anonymous = catalog.Anonymous();
        using var fan = catalog.Fan("fan-curious");
        foreach (var client in new[] { anonymous, fan })
        {
            // Asking for drafts by status is refused: 401 without a token, 403 for a fan.
            using var asked = await client.GetAsync(query + "&status=Draft");
            await Problems.AssertAsync(asked, client == anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
            Assert.Equal(0, (await client.GetJsonAsync(query)).GetProperty("totalCount").GetInt32());
            using var byId = await client.GetAsync($"/api/catalog/concerts/{draftId}");
            await Problems.AssertAsync(byId, HttpStatusCode.NotFound);
        }

        var drafts = await catalog.Client.GetJsonAsync(query + "&status=Draft");
        Assert.Equal(draftId, Assert.Single(drafts.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal("Draft", (await catalog.Client.GetJsonAsync($"/api/catalog/concerts/{draftId}")).GetProperty("status").GetString());
    }

    private static JsonObject WithNul(JsonObject body, string field)
    {
        body[field] = "First\u0000Light";
        return body;
    }

    private static void AssertNamesTheFieldAndNothingInternal(JsonElement problem, string field, string because)
    {
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), $"{because}: {problem}");
        foreach (var internalName in new[] { "Ticketing.", "Nullable", "System.", "ConcertRequest", "PriceTierRequest", "SectionRequest", "RowRequest", "Int32", "ConcertStatus", "DateTimeOffset" })
        {
            Assert.DoesNotContain(internalName, problem.ToString(), StringComparison.Ordinal);
        }
    }
}
