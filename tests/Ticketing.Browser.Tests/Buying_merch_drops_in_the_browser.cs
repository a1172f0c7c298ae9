using System.Net.Http.Headers;

namespace Ticketing.Browser.Tests;

// Merch drops in the browser (issue 20), on the same platform as the other merch pages: choosing an album version with
// its pictures, the photocard drawn for the order, and a lucky draw entered and won.
public sealed partial class Buying_merch_in_the_browser
{
    private async Task<Guid> ListAsync(object product)
    {
        using var op = platform.Operator();
        using var created = await op.PostAsJsonAsync("/api/catalog/products", product);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await Polling.UntilAsync(async () =>
        {
            await using var session = platform.Orders.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
            return await session.LoadAsync<Ticketing.Orders.Products.PriceBookEntry>(id) is not null;
        }, TimeSpan.FromSeconds(60));
        return id;
    }

    private async Task PictureAsync(Guid productId, string file, string? variant = null)
    {
        using var op = platform.Operator();
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(FanAppFixture.RepositoryRoot(), "deploy", "seed", "images", file)));
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var form = new MultipartFormDataContent { { content, "file", file } };
        if (variant is not null)
        {
            form.Add(new StringContent(variant), "variant");
        }

        using var uploaded = await op.PostAsync($"/api/catalog/products/{productId}/images", form);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
    }

    [Fact]
    public async Task A_fan_chooses_an_album_version_by_its_picture_and_sees_the_photocard_drawn_for_the_order()
    {
        var sku = $"ALB-{Guid.NewGuid():N}"[..14].ToUpperInvariant();
        var album = await ListAsync(new
        {
            sku, name = "Afterglow", artist = "NOVA", price = 21800m, currency = "KRW", limitPerFan = 3,
            variants = new[]
            {
                new { code = "A", sku = $"{sku}-A", name = "Version A", stock = 10 },
                new { code = "B", sku = $"{sku}-B", name = "Version B", stock = 10 },
            },
            inclusion = new { name = "Photocard", items = new[] { new { code = "HANA", name = "Hana", count = 10 }, new { code = "MINA", name = "Mina", count = 10 } } },
        });
        await PictureAsync(album, "album-a.png", "A");
        await PictureAsync(album, "album-b.png", "B");
        await using var fan = await platform.OpenAsync(375);
        await fan.SignInAsync("version-fan");
        await fan.Page.GotoAsync($"/merch/{album}");

        await Expect(fan.Page.GetByTestId("inclusion")).ToContainTextAsync("1 random photocard");
        await fan.Page.GetByTestId("version-B").CheckAsync();
        var picture = fan.Page.GetByTestId("product-picture");
        await Expect(picture).ToBeVisibleAsync();
        // The picked version's picture, once decoded (decode() waits for the current source and rejects a broken one).
        Assert.True(await picture.EvaluateAsync<bool>("async img => { await img.decode(); return img.naturalWidth > 0; }"), "the version's picture did not load");
        await fan.ScreenshotAsync("merch-version");
        await fan.Page.GetByTestId("merch-quantity").SelectOptionAsync("2");
        await fan.Page.GetByRole(AriaRole.Button, new() { Name = "Add to order" }).ClickAsync();
        await Expect(fan.Page.GetByTestId("merch-line")).ToContainTextAsync("2 × Afterglow (Version B)");
        Assert.Equal("Confirmed", await fan.PayAsync(FanAppFixture.ApprovingCard));

        await fan.Page.GotoAsync("/orders");
        await Expect(fan.Page.GetByTestId("drawn-card")).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(fan.Page.GetByTestId("drawn-card").First).ToHaveTextAsync(new Regex("^Photocard: (Hana|Mina)$"));
        await fan.ScreenshotAsync("order-photocard");
        Assert.Empty(fan.ConsoleErrors);
    }

    [Fact]
    public async Task A_fan_enters_a_lucky_draw_sees_that_they_won_and_buys_with_the_purchase_right()
    {
        var polaroid = await ListAsync(new
        {
            sku = $"POL-{Guid.NewGuid():N}"[..14].ToUpperInvariant(), name = "Signed polaroid", artist = "NOVA", price = 99000m, currency = "KRW",
            stock = 1, limitPerFan = 1, soldByLuckyDraw = true,
        });
        await PictureAsync(polaroid, "polaroid.png");
        using (var op = platform.Operator())
        {
            using var opened = await op.PostAsJsonAsync("/api/queue/lucky-draws", new
            {
                productId = polaroid, title = "Signed polaroid", closesAt = DateTimeOffset.UtcNow.AddSeconds(8), winners = 1, claimMinutes = 30,
            });
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        }

        await using var fan = await platform.OpenAsync(375);
        await fan.SignInAsync("lucky-browser-fan");
        await fan.Page.GotoAsync($"/merch/{polaroid}");
        await Expect(fan.Page.GetByTestId("draw-commitment")).ToHaveTextAsync(new Regex("^[0-9a-f]{64}$"));
        await Expect(fan.Page.GetByRole(AriaRole.Button, new() { Name = "Add to order" })).ToBeDisabledAsync();
        await fan.Page.GetByTestId("enter-draw").ClickAsync();
        await Expect(fan.Page.GetByTestId("draw-result")).ToHaveTextAsync("You are in the draw. Results are shown here when it closes.");

        await Expect(fan.Page.GetByTestId("draw-result")).ToContainTextAsync("You won! Buy it before", new() { Timeout = 30_000 });
        await Expect(fan.Page.GetByTestId("draw-seed")).ToHaveTextAsync(new Regex("^[0-9a-f]{64}$"));
        await fan.ScreenshotAsync("lucky-draw");
        await fan.Page.GetByRole(AriaRole.Button, new() { Name = "Add to order" }).ClickAsync();
        Assert.Equal("Confirmed", await fan.PayAsync(FanAppFixture.ApprovingCard));
        Assert.Empty(fan.ConsoleErrors);
    }
}
