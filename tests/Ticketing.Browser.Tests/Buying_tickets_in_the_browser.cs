namespace Ticketing.Browser.Tests;

/// <summary>A fan's journey through the web app, in Chromium, against the whole platform.</summary>
[Collection(FanAppCollection.Name)]
public sealed class Buying_tickets_in_the_browser(FanAppFixture platform)
{
    [Fact]
    public async Task A_fan_picks_two_seats_holds_them_pays_and_gets_two_tickets_whose_QR_codes_the_gate_accepts()
    {
        var concert = await platform.SeedConcertAsync("Seoul Night 1");
        await using var fan = await platform.SignedInAtConcertAsync("mina", concert);

        Assert.Equal(["B-1-4", "B-1-5"], await fan.HoldSeatsAsync("B-1-4", "B-1-5"));
        await Expect(fan.Page.GetByTestId("hold-countdown")).ToHaveTextAsync(new Regex(@"^Held for you for [5-7]:\d\d$"));
        await Expect(fan.Seat("B-1-4")).ToHaveAttributeAsync("data-status", "yours");
        await Expect(fan.Seat("B-1-5")).ToHaveAttributeAsync("data-status", "yours");

        Assert.Equal("Confirmed", await fan.PayAsync(FanAppFixture.ApprovingCard));
        await Expect(fan.Page.GetByTestId("order-status")).ToHaveTextAsync("Confirmed: you're going! Your tickets are in My tickets.");

        // Tickets not issued yet (as for a few seconds after a broker restart): the paid order says its tickets are on
        // their way, not "No tickets yet"; once issued, they show and the notice goes.
        const string MyTickets = "**/api/tickets/mine";
        await fan.Page.RouteAsync(MyTickets, route => route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = "[]" }));
        await fan.Page.GetByRole(AriaRole.Link, new() { Name = "See my tickets" }).ClickAsync();
        await Expect(fan.Page.GetByTestId("tickets-issuing")).ToContainTextAsync("Your tickets for seats B-1-4 and B-1-5 are being issued");
        await Expect(fan.Page.GetByText("No tickets yet.")).ToHaveCountAsync(0);
        await fan.Page.UnrouteAsync(MyTickets);
        var tickets = fan.Page.GetByTestId("ticket");
        await Expect(tickets).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await Expect(fan.Page.GetByTestId("tickets-issuing")).ToHaveCountAsync(0);
        await Expect(fan.Page.GetByTestId("ticket-qr")).ToHaveCountAsync(2);
        await Expect(fan.Page.GetByTestId("ticket-seat")).ToHaveTextAsync(["Seat B-1-4", "Seat B-1-5"], new() { UseInnerText = true, IgnoreCase = false });

        var decoded = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var qr = fan.Page.GetByTestId("ticket-qr").Nth(i);
            Assert.StartsWith("QR code of your ticket for seat B-1-", await qr.GetAttributeAsync("alt"));
            decoded.Add(await fan.DecodeQrAsync(qr) ?? throw new Xunit.Sdk.XunitException("A QR code did not decode"));
        }

        using var api = platform.Fan("mina");
        var issued = (await (await api.GetAsync("/api/tickets/mine")).ReadJsonAsync<JsonElement>())
            .EnumerateArray().Select(t => t.GetProperty("code").GetString()!).Order().ToList();
        Assert.Equal(issued, decoded.Order().ToList());
        foreach (var code in decoded)
        {
            Assert.Equal(HttpStatusCode.OK, await platform.CheckInAsync(code, concert.Id));
        }

        Assert.Empty(fan.ConsoleErrors);
    }

    [Fact]
    public async Task A_declined_card_says_the_card_was_declined_and_the_seats_show_available_again()
    {
        var concert = await platform.SeedConcertAsync("Seoul Night 2");
        await using var fan = await platform.SignedInAtConcertAsync("jun", concert, 375);
        await fan.HoldSeatsAsync("B-2-1", "B-2-2");

        Assert.Equal("Cancelled", await fan.PayAsync(FanAppFixture.DecliningCard));
        await Expect(fan.Page.GetByTestId("order-status")).ToHaveTextAsync("Cancelled: Your card was declined, the seats were released.");

        await fan.Page.GetByRole(AriaRole.Link, new() { Name = "Back to the concert" }).ClickAsync();
        await Expect(fan.Seat("B-2-1")).ToHaveAttributeAsync("data-status", "available", new() { Timeout = 60_000 });
        await Expect(fan.Seat("B-2-2")).ToHaveAttributeAsync("data-status", "available", new() { Timeout = 60_000 });
        await Expect(fan.Page.GetByTestId("hold-panel")).ToHaveCountAsync(0);
        Assert.Empty(fan.ConsoleErrors);
    }

    [Fact]
    public async Task Two_fans_race_for_one_seat_the_loser_is_told_it_was_taken_and_sees_it_taken_without_a_reload()
    {
        var concert = await platform.SeedConcertAsync("Seoul Night 3");
        await using var first = await platform.OpenAsync();
        await using var second = await platform.OpenAsync(375);
        await first.SignInAsync("racer-1");
        await second.SignInAsync("racer-2");
        await first.OpenConcertAsync(concert);
        await second.OpenConcertAsync(concert);
        await first.PickSeatsAsync("C-1-5");
        await second.PickSeatsAsync("C-1-5");

        // Both tap at once. A tap that lands after the other fan's hold reached its map finds the seat gone from the
        // selection (the button disabled, a notice saying why); otherwise the hold's refusal says it.
        await Task.WhenAll(
            first.Page.GetByTestId("hold-selected").ClickAsync(new() { Force = true }),
            second.Page.GetByTestId("hold-selected").ClickAsync(new() { Force = true }));

        var outcomes = await Task.WhenAll(OutcomeAsync(first), OutcomeAsync(second));
        Assert.Single(outcomes, "held");
        Assert.Single(outcomes, "refused");
        var (winner, loser) = outcomes[0] == "held" ? (first, second) : (second, first);
        Assert.Equal(["C-1-5"], await winner.HeldSeatsAsync());
        await Expect(loser.Page.GetByTestId("hold-error")).ToHaveTextAsync("Those seats were just taken, pick others.");
        await Expect(loser.Seat("C-1-5")).ToHaveAttributeAsync("data-status", "held");

        // A seat taken elsewhere (another fan's phone) turns grey on an open map by itself, and leaves the selection
        // of a fan who had picked it, with the reason.
        await loser.PickSeatsAsync("C-3-1");
        await Expect(loser.Page.GetByTestId("hold-error")).ToBeHiddenAsync();
        using var third = platform.Fan("racer-3");
        using var held = await third.PostAsJsonAsync($"/api/tickets/concerts/{concert.Id}/holds", new { seatIds = new[] { "C-3-1" } });
        Assert.Equal(HttpStatusCode.Created, held.StatusCode);
        await Expect(loser.Seat("C-3-1")).ToHaveAttributeAsync("data-status", "held", new() { Timeout = 30_000 });
        await Expect(winner.Seat("C-3-1")).ToHaveAttributeAsync("data-status", "held", new() { Timeout = 30_000 });
        await Expect(loser.Page.GetByTestId("hold-error")).ToHaveTextAsync("Those seats were just taken, pick others.");
        await Expect(loser.Page.GetByTestId("hold-selected")).ToBeDisabledAsync();
        Assert.Empty(first.ConsoleErrors);
        Assert.Empty(second.ConsoleErrors);
    }

    [Fact]
    public async Task Best_available_for_a_tier_holds_seats_side_by_side()
    {
        var concert = await platform.SeedConcertAsync("Seoul Night 4");
        await using var fan = await platform.SignedInAtConcertAsync("best-fan", concert);

        await fan.Page.GetByTestId("best-tier").SelectOptionAsync("R");
        await fan.Page.GetByTestId("best-quantity").SelectOptionAsync("3");
        await fan.Page.GetByRole(AriaRole.Button, new() { Name = "Find and hold seats" }).ClickAsync();

        var seats = (await fan.HeldSeatsAsync()).Select(id => id.Split('-')).ToList();
        Assert.Equal(3, seats.Count);
        Assert.All(seats, seat => Assert.Contains(seat[0], new[] { "B", "C" }));
        Assert.Single(seats.Select(seat => $"{seat[0]}-{seat[1]}").Distinct());
        var numbers = seats.Select(seat => int.Parse(seat[2])).Order().ToList();
        Assert.Equal(Enumerable.Range(numbers[0], 3), numbers);
        foreach (var seat in seats)
        {
            await Expect(fan.Seat(string.Join('-', seat))).ToHaveAttributeAsync("data-status", "yours");
        }
    }

    [Fact]
    public async Task A_hold_from_the_fans_other_device_is_theirs_here_too_and_holding_past_the_limit_is_refused_with_the_limit_in_words()
    {
        var concert = await platform.SeedConcertAsync("Seoul Night 5", ticketLimitPerFan: 2);
        using var otherDevice = platform.Fan("limit-fan");
        using var held = await otherDevice.PostAsJsonAsync($"/api/tickets/concerts/{concert.Id}/holds", new { seatIds = new[] { "A-2-1", "A-2-2" } });
        Assert.Equal(HttpStatusCode.Created, held.StatusCode);
        var holdId = (await held.ReadJsonAsync<JsonElement>()).GetProperty("holdId").GetString();

        await using var fan = await platform.SignedInAtConcertAsync("limit-fan", concert, 375);
        await Expect(fan.Page.GetByTestId("ticket-limit")).ToHaveTextAsync("You can buy up to 2 tickets for this concert.");

        // What the fan holds on their phone is theirs in this browser too: shown as theirs, in the cart, ready to pay.
        await Expect(fan.Page.GetByTestId("hold-panel")).ToHaveAttributeAsync("data-hold-id", holdId!);
        await Expect(fan.Seat("A-2-1")).ToHaveAttributeAsync("data-status", "yours");
        await Expect(fan.Seat("A-2-2")).ToHaveAttributeAsync("data-status", "yours");
        await Expect(fan.Page.GetByRole(AriaRole.Button, new() { Name = "Go to checkout" })).ToBeVisibleAsync();
        await fan.PickSeatsAsync("A-1-1");
        await fan.HoldPickedSeatsAsync();

        await Expect(fan.Page.GetByTestId("hold-error")).ToHaveTextAsync("You can hold at most 2 tickets for this concert.");
        Assert.Empty(fan.ConsoleErrors);
    }

    [Fact]
    public async Task A_fan_stays_signed_in_across_a_reload_and_signing_out_clears_the_token_and_the_cart()
    {
        await using var fan = await platform.OpenAsync();
        await fan.SignInAsync("stays");
        await fan.Page.EvaluateAsync(PutInCart, "stays");

        await fan.Page.ReloadAsync();
        await Expect(fan.Page.GetByTestId("signed-in-as")).ToHaveTextAsync("Signed in as stays");
        Assert.Equal(1, await fan.Page.EvaluateAsync<int>(MerchLinesInCart));

        await fan.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(fan.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).First).ToBeVisibleAsync();
        Assert.Null(await fan.Page.EvaluateAsync<string?>("() => localStorage.getItem('ticketing.session')"));
        Assert.Equal(0, await fan.Page.EvaluateAsync<int>(MerchLinesInCart)); // the next person on this device sees nothing of it
        await fan.Page.ReloadAsync();
        await Expect(fan.Page.GetByTestId("signed-in-as")).ToHaveCountAsync(0);

        // A cart kept for one fan (their token ran out) is emptied when another fan signs in on the device, and kept
        // when the same fan does.
        await fan.Page.EvaluateAsync(PutInCart, "stays");
        await fan.Page.ReloadAsync();
        await fan.SignInAsync("stays");
        Assert.Equal(1, await fan.Page.EvaluateAsync<int>(MerchLinesInCart));
        await fan.Page.EvaluateAsync("() => localStorage.removeItem('ticketing.session')");
        await fan.Page.ReloadAsync();
        await fan.SignInAsync("someone-else");
        Assert.Equal(0, await fan.Page.EvaluateAsync<int>(MerchLinesInCart));
    }

    private const string PutInCart = """
        fan => localStorage.setItem('ticketing.cart', JSON.stringify({ hold: null, fan,
          merch: [{ productId: '00000000-0000-0000-0000-000000000001', name: 'Lightstick', price: 45000, currency: 'KRW', quantity: 1, limitPerFan: 2 }] }))
        """;

    private const string MerchLinesInCart = "() => JSON.parse(localStorage.getItem('ticketing.cart') ?? '{\"merch\":[]}').merch.length";

    private static async Task<string> OutcomeAsync(FanBrowser fan)
    {
        var panel = fan.Page.GetByTestId("hold-panel");
        var error = fan.Page.GetByTestId("hold-error");
        await Expect(panel.Or(error)).ToBeVisibleAsync();
        return await panel.IsVisibleAsync() ? "held" : "refused";
    }
}
