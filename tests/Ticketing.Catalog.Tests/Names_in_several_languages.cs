using System.Text.Json.Nodes;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Catalog.Tests;

/// <summary>Artists, concerts, venues and products named in several languages, and found by any of them.</summary>
public sealed class Names_in_several_languages(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private HttpClient Client => catalog.Client;

    [Fact]
    public async Task A_concert_is_found_by_its_names_in_hangul_latin_and_katakana()
    {
        var request = Requests.Concert(artist: "세븐틴");
        request["title"] = "FOLLOW TO SEOUL";
        request["names"] = JsonNode.Parse("""
            {
              "artist": { "ko": "세븐틴", "en": "SEVENTEEN", "ja": "セブンティーン" },
              "venue": { "ja": "ソウルワールドカップ競技場", "en": "Seoul World Cup Stadium" }
            }
            """);
        var id = (await Client.CreatedAsync("/api/catalog/concerts", request)).GetProperty("id").GetGuid();
        (await Client.PostAsync($"/api/catalog/concerts/{id}/publish", null)).EnsureSuccessStatusCode();
        var other = (await Client.CreatedAsync("/api/catalog/concerts", Requests.Concert(artist: "NOVA"))).GetProperty("id").GetGuid();
        (await Client.PostAsync($"/api/catalog/concerts/{other}/publish", null)).EnsureSuccessStatusCode();

        // Hangul, Latin in any case, katakana (also half-width, folded by NFKC), and a venue's Japanese name.
        foreach (var query in new[] { "세븐틴", "seventeen", "SevenTeen", "セブンティーン", "ｾﾌﾞﾝﾃｨｰﾝ", "ワールドカップ" })
        {
            var found = await Client.GetJsonAsync($"/api/catalog/concerts?q={Uri.EscapeDataString(query)}");
            Assert.Equal([id], found.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetGuid()));
        }

        var none = await Client.GetJsonAsync($"/api/catalog/concerts?q={Uri.EscapeDataString("블랙핑크")}");
        Assert.Equal(0, none.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task Names_come_back_with_canonical_language_tags_and_go_out_with_the_published_concert_and_product()
    {
        var request = Requests.Concert(artist: "NOVA");
        request["names"] = JsonNode.Parse("""{ "artist": { "ko": " 노바 ", "pt-br": "NOVA" }, "title": { "ja": "ファースト・ライト" } }""");
        var created = await Client.CreatedAsync("/api/catalog/concerts", request);
        var id = created.GetProperty("id").GetGuid();

        var names = created.GetProperty("names");
        Assert.Equal("노바", names.GetProperty("artist").GetProperty("ko").GetString());
        Assert.Equal("NOVA", names.GetProperty("artist").GetProperty("pt-BR").GetString());
        Assert.Equal("ファースト・ライト", names.GetProperty("title").GetProperty("ja").GetString());
        Assert.Equal(JsonValueKind.Null, names.GetProperty("venue").ValueKind);
        (await Client.PostAsync($"/api/catalog/concerts/{id}/publish", null)).EnsureSuccessStatusCode();
        var listed = await Client.GetJsonAsync("/api/catalog/concerts?q=%EB%85%B8%EB%B0%94"); // 노바
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), item => item.GetProperty("names").GetProperty("artist").GetProperty("ko").GetString() == "노바");
        var published = await catalog.Messages.WaitForAsync<ConcertPublished>(message => message.ConcertId == id);
        Assert.Equal("노바", published.Names?.Artist?["ko"]);

        var product = Requests.Product();
        product["names"] = JsonNode.Parse("""{ "name": { "ko": "공식 응원봉 ver.2", "ja": "公式ペンライト ver.2" } }""");
        var productId = (await Client.CreatedAsync("/api/catalog/products", product)).GetProperty("id").GetGuid();
        var fetched = await Client.GetJsonAsync($"/api/catalog/products/{productId}");
        Assert.Equal("公式ペンライト ver.2", fetched.GetProperty("names").GetProperty("name").GetProperty("ja").GetString());
        var productPublished = await catalog.Messages.WaitForAsync<ProductPublished>(message => message.ProductId == productId);
        Assert.Equal("공식 응원봉 ver.2", productPublished.Names?.Name?["ko"]);
    }

    [Fact]
    public async Task A_name_that_is_not_keyed_by_a_language_or_is_empty_and_an_overlong_search_are_refused_naming_the_field()
    {
        var request = Requests.Concert();
        request["names"] = JsonNode.Parse("""{ "artist": { "not a language": "x" }, "title": { "ko": "  " } }""");

        using var refused = await Client.PostAsJsonAsync("/api/catalog/concerts", request);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.ReadJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("names.artist", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("names.title.ko", out _), errors.ToString());

        using var search = await Client.GetAsync($"/api/catalog/concerts?q={new string('가', 101)}");
        Assert.Equal(HttpStatusCode.BadRequest, search.StatusCode);
        Assert.True((await search.ReadJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("q", out _));
    }
}
