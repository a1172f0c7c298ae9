using System.Text;

namespace Ticketing.Catalog.Tests;

/// <summary>
/// Input a hostile client tried by hand (issue #18): each answered with a 4xx problem that says what was wrong in the
/// client's terms, never a 500 and never a name from inside the service; drafts stay the operators' own.
/// </summary>
public sealed class Hostile_catalog_input(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    [Theory]
    [InlineData("/api/catalog/concerts?page=2147483647")]
    [InlineData("/api/catalog/concerts?page=2147483647&pageSize=100")]
    [InlineData("/api/catalog/concerts?page=21474837&pageSize=100")]
    [InlineData("/api/catalog/products?page=2147483647")]
    [InlineData("/api/catalog/products?page=2147483647&pageSize=100")]
    public async Task A_page_far_past_the_end_is_a_400_problem_naming_page(string path)
    {
        await AnonymousReadRefusedNamingAsync(path, "page");
    }

    [Theory]
    [InlineData("POST", "/api/catalog/concerts/00000000-0000-0000-0000-000000000000/publish")]
    [InlineData("POST", "/api/catalog/concerts/00000000-0000-0000-0000-000000000000/cancel")]
    [InlineData("PUT", "/api/catalog/concerts/00000000-0000-0000-0000-000000000000")]
    [InlineData("GET", "/api/catalog/concerts/00000000-0000-0000-0000-000000000000")]
    [InlineData("POST", "/api/catalog/products/00000000-0000-0000-0000-000000000000/restock")]
    [InlineData("GET", "/api/catalog/products/00000000-0000-0000-0000-000000000000")]
    public async Task The_all_zero_id_is_a_404_problem(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PUT")
        {
            request.Content = JsonContent.Create(Requests.Concert());
        }
        else if (path.EndsWith("/restock", StringComparison.Ordinal))
        {
            request.Content = JsonContent.Create(new { quantity = 5 });
        }

        using var response = await catalog.Client.SendAsync(request);

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/catalog/concerts?artist=a%00b", "artist")]
    [InlineData("/api/catalog/products?artist=a%00b", "artist")]
    [InlineData("/api/catalog/concerts?artist=%01%02", "artist")]
    public async Task A_control_character_in_a_filter_is_a_400_problem_naming_it(string path, string field)
    {
        await AnonymousReadRefusedNamingAsync(path, field);
    }

    [Theory]
    [InlineData("concerts", "title")]
    [InlineData("concerts", "artist")]
    [InlineData("concerts", "venue")]
    [InlineData("products", "name")]
    [InlineData("products", "description")]
    public async Task A_nul_character_in_a_concert_or_product_is_a_400_problem_naming_the_field(string resource, string field)
    {
        var body = resource == "concerts" ? Requests.Concert() : Requests.Product();
        body[field] = "First\u0000Light";

        using var response = await catalog.Client.PostAsJsonAsync($"/api/catalog/{resource}", body);

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_nul_character_in_a_cancellation_reason_is_a_400_problem()
    {
        var id = (await catalog.Client.CreatedAsync("/api/catalog/concerts", Requests.Concert())).GetProperty("id").GetGuid();

        using var response = await catalog.Client.PostAsJsonAsync($"/api/catalog/concerts/{id}/cancel", new { reason = "rain\u0000" });

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _), problem.ToString());
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

    [Theory]
    [InlineData("""{"priceTiers":[1]}""", "priceTiers[0]")]
    [InlineData("""{"priceTiers":[{"price":"cheap"}]}""", "priceTiers[0].price")]
    [InlineData("""{"sections":[{"rows":[{"seats":"many"}]}]}""", "sections[0].rows[0].seats")]
    [InlineData("""{"ticketLimitPerFan":"four"}""", "ticketLimitPerFan")]
    [InlineData("""{"startsAt":"next tuesday"}""", "startsAt")]
    [InlineData("""{"artist":{"name":"NOVA"}}""", "artist")]
    public async Task A_body_of_the_wrong_shape_names_the_field_in_json_terms_and_no_internal_type(string body, string field)
    {
        using var response = await catalog.Client.PostAsync("/api/catalog/concerts", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), problem.ToString());
        AssertNamesNothingInternal(problem.ToString());
    }

    [Theory]
    [InlineData("/api/catalog/concerts?status=Bogus", "status")]
    [InlineData("/api/catalog/concerts?page=abc", "page")]
    [InlineData("/api/catalog/products?pageSize=1e3", "pageSize")]
    public async Task A_query_parameter_of_the_wrong_type_names_the_parameter_and_no_internal_type(string path, string field)
    {
        var problem = await AnonymousReadRefusedNamingAsync(path, field);
        AssertNamesNothingInternal(problem.ToString());
    }

    /// <summary>Reads <paramref name="path"/> without a token and expects a 400 problem whose errors name <paramref name="field"/>.</summary>
    private async Task<JsonElement> AnonymousReadRefusedNamingAsync(string path, string field)
    {
        using var anonymous = catalog.Anonymous();

        using var response = await anonymous.GetAsync(path);

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _), problem.ToString());
        return problem;
    }

    private static void AssertNamesNothingInternal(string body)
    {
        foreach (var internalName in new[] { "Ticketing.", "Nullable", "System.", "ConcertRequest", "PriceTierRequest", "SectionRequest", "RowRequest", "Int32", "ConcertStatus", "DateTimeOffset" })
        {
            Assert.DoesNotContain(internalName, body, StringComparison.Ordinal);
        }
    }
}
