using System.Text.Json.Nodes;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Catalog.Tests;

/// <summary>A concert or product drop with a waiting room: checked per field, shown, and announced with the drop.</summary>
public sealed class Waiting_rooms_in_drafts(CatalogFixture catalog) : IClassFixture<CatalogFixture>
{
    private HttpClient Client => catalog.Client;

    [Fact]
    public async Task A_published_concert_announces_its_waiting_room()
    {
        var saleOpensAt = DateTimeOffset.UtcNow.AddHours(2);
        var concert = ConcertWithWaitingRoom(saleOpensAt, new JsonObject
        {
            ["opensAt"] = saleOpensAt.AddMinutes(-30).ToString("O"),
            ["admissionsPerMinute"] = 600,
            ["maxActive"] = 2000,
        });

        var created = await Client.CreatedAsync("/api/catalog/concerts", concert);
        var id = created.GetProperty("id").GetGuid();
        (await Client.PostAsync($"/api/catalog/concerts/{id}/publish", null)).EnsureSuccessStatusCode();

        var room = created.GetProperty("waitingRoom");
        Assert.Equal(600, room.GetProperty("admissionsPerMinute").GetInt32());
        Assert.Equal(2000, room.GetProperty("maxActive").GetInt32());
        Assert.Equal(10, room.GetProperty("passMinutes").GetInt32());
        var published = await catalog.Messages.WaitForAsync<ConcertPublished>(message => message.ConcertId == id);
        Assert.Equal(saleOpensAt.AddMinutes(-30).ToUnixTimeMilliseconds(), published.WaitingRoom!.OpensAt.ToUnixTimeMilliseconds());
        Assert.Equal((600, (int?)2000, 10), (published.WaitingRoom.AdmissionsPerMinute, published.WaitingRoom.MaxActive, published.WaitingRoom.PassMinutes));
    }

    [Fact]
    public async Task A_concert_without_a_waiting_room_says_so()
    {
        var created = await Client.CreatedAsync("/api/catalog/concerts", Requests.Concert());

        Assert.Equal(JsonValueKind.Null, created.GetProperty("waitingRoom").ValueKind);
    }

    [Fact]
    public async Task A_bad_waiting_room_is_refused_per_field()
    {
        var saleOpensAt = DateTimeOffset.UtcNow.AddHours(2);
        var concert = ConcertWithWaitingRoom(saleOpensAt, new JsonObject
        {
            ["opensAt"] = saleOpensAt.AddMinutes(5).ToString("O"),
            ["admissionsPerMinute"] = 0,
            ["maxActive"] = -1,
            ["passMinutes"] = 600,
        });
        var missing = Requests.Concert();
        missing["waitingRoom"] = new JsonObject();

        using var response = await Client.PostAsJsonAsync("/api/catalog/concerts", concert);
        using var empty = await Client.PostAsJsonAsync("/api/catalog/concerts", missing);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.ReadJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "waitingRoom.opensAt", "waitingRoom.admissionsPerMinute", "waitingRoom.maxActive", "waitingRoom.passMinutes" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }

        var emptyErrors = (await empty.ReadJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(emptyErrors.TryGetProperty("waitingRoom.opensAt", out _));
        Assert.True(emptyErrors.TryGetProperty("waitingRoom.admissionsPerMinute", out _));
    }

    [Fact]
    public async Task A_product_drop_with_a_waiting_room_needs_a_release_time_and_announces_the_room()
    {
        var releaseAt = DateTimeOffset.UtcNow.AddHours(1);
        var withoutRelease = Requests.Product();
        withoutRelease["waitingRoom"] = new JsonObject { ["opensAt"] = DateTimeOffset.UtcNow.ToString("O"), ["admissionsPerMinute"] = 100 };
        var product = Requests.Product(releaseAt: releaseAt);
        product["waitingRoom"] = new JsonObject { ["opensAt"] = releaseAt.AddMinutes(-20).ToString("O"), ["admissionsPerMinute"] = 100, ["passMinutes"] = 5 };

        using var refused = await Client.PostAsJsonAsync("/api/catalog/products", withoutRelease);
        var created = await Client.CreatedAsync("/api/catalog/products", product);

        Assert.True((await refused.ReadJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("releaseAt", out _));
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(5, created.GetProperty("waitingRoom").GetProperty("passMinutes").GetInt32());
        var published = await catalog.Messages.WaitForAsync<ProductPublished>(message => message.ProductId == id);
        Assert.Equal(100, published.WaitingRoom!.AdmissionsPerMinute);
        Assert.Equal(5, published.WaitingRoom.PassMinutes);
    }

    [Fact]
    public async Task A_product_drop_that_runs_out_is_announced_sold_out_and_back_in_stock_after_a_restock()
    {
        var product = Requests.Product(stock: 0, releaseAt: DateTimeOffset.UtcNow.AddMinutes(-1));
        product["waitingRoom"] = new JsonObject { ["opensAt"] = DateTimeOffset.UtcNow.AddMinutes(-10).ToString("O"), ["admissionsPerMinute"] = 100 };
        var id = (await Client.CreatedAsync("/api/catalog/products", product)).GetProperty("id").GetGuid();

        await catalog.Messages.WaitForAsync<ProductSoldOut>(message => message.ProductId == id);
        (await Client.PostAsJsonAsync($"/api/catalog/products/{id}/restock", new { quantity = 3 })).EnsureSuccessStatusCode();

        var back = await catalog.Messages.WaitForAsync<ProductBackInStock>(message => message.ProductId == id);
        Assert.Equal(3, back.Available);
    }

    private static JsonObject ConcertWithWaitingRoom(DateTimeOffset saleOpensAt, JsonObject waitingRoom)
    {
        var concert = Requests.Concert();
        concert["saleOpensAt"] = saleOpensAt.ToString("O");
        concert["waitingRoom"] = waitingRoom;
        return concert;
    }
}
