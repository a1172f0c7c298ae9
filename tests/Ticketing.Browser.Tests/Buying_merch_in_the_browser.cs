namespace Ticketing.Browser.Tests;

[Collection(FanAppCollection.Name)]
public sealed partial class Buying_merch_in_the_browser(FanAppFixture platform)
{
    [Fact]
    public async Task Buying_the_last_units_shows_the_product_sold_out()
    {
        var productId = await platform.SeedProductAsync("Lightstick v2", stock: 2, limitPerFan: 2);
        await using var fan = await platform.OpenAsync(375);
        await fan.SignInAsync("merch-fan");
        await fan.Page.GotoAsync($"/merch/{productId}");
        await Expect(fan.Page.GetByTestId("product-stock")).ToHaveTextAsync("2 left");
        await Expect(fan.Page.GetByTestId("product-limit")).ToHaveTextAsync("Limit 2 per fan");
        await Expect(fan.Page.GetByTestId("product-price")).ToHaveTextAsync("₩35,000");

        await fan.Page.GetByTestId("merch-quantity").SelectOptionAsync("2");
        await fan.Page.GetByRole(AriaRole.Button, new() { Name = "Add to order" }).ClickAsync();
        await Expect(fan.Page.GetByTestId("merch-line")).ToContainTextAsync("2 × Lightstick v2");
        Assert.Equal("Confirmed", await fan.PayAsync(FanAppFixture.ApprovingCard));

        await fan.Page.GotoAsync($"/merch/{productId}");
        await Expect(fan.Page.GetByTestId("sold-out")).ToHaveTextAsync("Sold out", new() { Timeout = 30_000 });
        await Expect(fan.Page.GetByRole(AriaRole.Button, new() { Name = "Add to order" })).ToBeDisabledAsync();
        await fan.Page.GotoAsync("/");
        await Expect(fan.Page.GetByTestId("product-card").Filter(new() { HasText = "Lightstick v2" }).GetByTestId("product-badge")).ToHaveTextAsync("Sold out");
        Assert.Empty(fan.ConsoleErrors);
    }

    [Fact]
    public async Task Merch_cannot_be_bought_before_its_release_and_counts_down_to_it()
    {
        var productId = await platform.SeedProductAsync("Tour hoodie", stock: 50, limitPerFan: 1, releaseAt: DateTimeOffset.UtcNow.AddHours(5));
        await using var fan = await platform.OpenAsync();
        await fan.SignInAsync("early-fan");
        await fan.Page.GotoAsync($"/merch/{productId}");

        await Expect(fan.Page.GetByTestId("not-released")).ToContainTextAsync(new Regex(@"Not on sale until .+ (EST|EDT) · On sale in 4:5\d:\d\d"));
        await Expect(fan.Page.GetByRole(AriaRole.Button, new() { Name = "Add to order" })).ToBeDisabledAsync();
        await fan.Page.GotoAsync("/");
        await Expect(fan.Page.GetByTestId("product-card").Filter(new() { HasText = "Tour hoodie" }).GetByTestId("product-badge"))
            .ToHaveTextAsync(new Regex(@"^Release in 4:5\d:\d\d$"));
    }

    [Fact]
    public async Task Seats_and_merch_are_paid_in_one_order()
    {
        var concert = await platform.SeedConcertAsync("Seoul Night Merch");
        var productId = await platform.SeedProductAsync("Photo card set", stock: 100, limitPerFan: 3);
        await using var fan = await platform.SignedInAtConcertAsync("both-fan", concert);
        await fan.HoldSeatsAsync("A-1-3");
        await fan.Page.GotoAsync($"/merch/{productId}");
        await fan.Page.GetByRole(AriaRole.Button, new() { Name = "Add to order" }).ClickAsync();

        await Expect(fan.Page.GetByTestId("held-seat")).ToHaveCountAsync(1);
        await Expect(fan.Page.GetByTestId("checkout-total")).ToHaveTextAsync("Total: ₩233,000");
        Assert.Equal("Confirmed", await fan.PayAsync(FanAppFixture.ApprovingCard));

        await fan.Page.GetByRole(AriaRole.Link, new() { Name = "See my orders" }).ClickAsync();
        var order = fan.Page.GetByTestId("order").First;
        await Expect(order).ToHaveAttributeAsync("data-status", "Confirmed");
        await Expect(order).ToContainTextAsync("A-1-3");
        await Expect(order).ToContainTextAsync("Photo card set");
    }
}
