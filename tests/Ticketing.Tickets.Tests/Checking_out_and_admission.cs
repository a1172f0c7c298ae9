using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Orders;
using Ticketing.Contracts.Tickets;
using Ticketing.Tickets.Admission;

namespace Ticketing.Tickets.Tests;

/// <summary>Orders' messages driving a hold to a sale, and the tickets that come of it at the venue door.</summary>
public sealed class Checking_out_and_admission(TicketsFixture tickets) : IClassFixture<TicketsFixture>
{
    private async Task<(Guid ConcertId, Guid HoldId)> HoldAsync(string fanId, params string[] seatIds)
    {
        var concertId = await tickets.PublishConcertAsync();
        using var fan = tickets.Fan(fanId);
        using var response = await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (concertId, (await response.ReadJsonAsync<JsonElement>()).GetProperty("holdId").GetGuid());
    }

    private async Task<object> ConfirmAsync(Guid orderId, Guid holdId, string fanId)
    {
        await tickets.Messages.Publisher.Publish(new ConfirmHold(orderId, holdId, fanId));
        return await tickets.Messages.WaitForEitherAsync<HoldConfirmed, HoldRejected>(m => m.OrderId == orderId, m => m.OrderId == orderId);
    }

    private async Task<List<JsonElement>> TicketsOfAsync(string fanId, int expected)
    {
        using var fan = tickets.Fan(fanId);
        return await Polling.SettledAsync(
            async () => (await fan.GetFromJsonAsync<List<JsonElement>>("/api/tickets/mine"))!, mine => mine.Count >= expected, TimeSpan.FromSeconds(60));
    }

    /// <summary>A concert of its own where <paramref name="fanId"/> bought <paramref name="seatId"/>: the order and the ticket's code.</summary>
    private async Task<(Guid ConcertId, Guid HoldId, Guid OrderId, string Code)> SoldTicketAsync(string fanId, string seatId)
    {
        var (concertId, holdId) = await HoldAsync(fanId, seatId);
        var orderId = Guid.NewGuid();
        await ConfirmAsync(orderId, holdId, fanId);
        await tickets.Messages.Publisher.Publish(new SellHold(orderId, holdId, fanId));
        var code = (await TicketsOfAsync(fanId, 1)).Single().GetProperty("code").GetString()!;
        return (concertId, holdId, orderId, code);
    }

    /// <summary>Asserts that the public seat map shows each of <paramref name="seatIds"/> as <paramref name="status"/>.</summary>
    private async Task AssertSeatsAsync(Guid concertId, string status, params string[] seatIds)
    {
        using var anonymous = tickets.Anonymous();
        var statuses = await TicketsFixture.SeatStatusesAsync(anonymous, concertId);
        Assert.All(seatIds, seatId => Assert.Equal(status, statuses[seatId]));
    }

    private async Task<HttpResponseMessage> CheckInAsync(string code, Guid concertId) =>
        await tickets.Operator().PostAsJsonAsync("/api/tickets/check-in", new { code, concertId });

    [Fact]
    public async Task A_paid_order_sells_the_seats_and_issues_one_signed_ticket_per_seat()
    {
        var (concertId, holdId) = await HoldAsync("fan-buyer", "A-1-1", "A-1-2");
        var orderId = Guid.NewGuid();

        var confirmed = Assert.IsType<HoldConfirmed>(await ConfirmAsync(orderId, holdId, "fan-buyer"));
        Assert.Equal(2, confirmed.Seats.Count);
        Assert.Equal(198000m, confirmed.Seats[0].Price);
        using var fan = tickets.Fan("fan-buyer");
        var beingPaid = Assert.Single((await fan.GetFromJsonAsync<JsonElement>($"/api/tickets/concerts/{concertId}/holds/mine")).EnumerateArray());
        Assert.Equal((holdId, "CheckedOut"), (beingPaid.GetProperty("holdId").GetGuid(), beingPaid.GetProperty("status").GetString()));
        using var bothSales = ConsumedSignal<SellHold>.On(tickets.Tickets.Services, message => message.HoldId == holdId, count: 2);
        await tickets.Messages.Publisher.Publish(new SellHold(orderId, holdId, "fan-buyer"));
        await tickets.Messages.Publisher.Publish(new SellHold(orderId, holdId, "fan-buyer"));

        var issued = await tickets.Messages.WaitForAsync<TicketsIssued>(m => m.HoldId == holdId);
        Assert.Equal(2, issued.Tickets.Count);
        await bothSales.WaitAsync();
        var mine = await TicketsOfAsync("fan-buyer", 2);
        Assert.Equal(2, mine.Count);
        Assert.Equal(["A-1-1", "A-1-2"], mine.Select(t => t.GetProperty("seatId").GetString()).Order());
        Assert.All(mine, ticket => Assert.StartsWith("TKT1.", ticket.GetProperty("code").GetString()));
        Assert.All(mine, ticket => Assert.Equal(orderId, ticket.GetProperty("orderId").GetGuid())); // the fan app matches paid orders to their tickets
        await AssertSeatsAsync(concertId, "sold", "A-1-1", "A-1-2");
        Assert.Empty((await fan.GetFromJsonAsync<JsonElement>($"/api/tickets/concerts/{concertId}/holds/mine")).EnumerateArray()); // sold: tickets now
    }

    [Fact]
    public async Task A_ticket_code_admits_once_and_an_altered_code_not_at_all()
    {
        var (concertId, _, _, code) = await SoldTicketAsync("fan-gate", "B-2-7");

        using var first = await CheckInAsync(code, concertId);
        using var second = await CheckInAsync(code, concertId);
        var flipped = code[..^3] + (code[^3] == 'A' ? 'B' : 'A') + code[^2..];
        using var altered = await CheckInAsync(flipped, concertId);
        var payloadFlipped = code[..8] + (code[8] == 'A' ? 'B' : 'A') + code[9..];
        using var alteredPayload = await CheckInAsync(payloadFlipped, concertId);
        using var garbage = await CheckInAsync("not-a-ticket", concertId);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("B-2-7", (await first.ReadJsonAsync<JsonElement>()).GetProperty("seatId").GetString());
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("already_checked_in", (await second.ReadJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, altered.StatusCode);
        Assert.Equal("invalid_code", (await altered.ReadJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, alteredPayload.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    [Fact]
    public async Task Checkout_is_refused_for_another_fans_hold_or_an_unknown_one()
    {
        var (_, holdId) = await HoldAsync("fan-owner", "A-2-5");

        var notYours = Assert.IsType<HoldRejected>(await ConfirmAsync(Guid.NewGuid(), holdId, "fan-thief"));
        var unknown = Assert.IsType<HoldRejected>(await ConfirmAsync(Guid.NewGuid(), Guid.NewGuid(), "fan-owner"));

        Assert.Equal(HoldRejectionReasons.NotYours, notYours.Reason);
        Assert.Equal(HoldRejectionReasons.Unknown, unknown.Reason);
    }

    [Fact]
    public async Task A_redelivered_checkout_gets_the_same_answer_and_a_second_order_is_refused()
    {
        var (_, holdId) = await HoldAsync("fan-twice", "A-2-6");
        var orderId = Guid.NewGuid();

        Assert.IsType<HoldConfirmed>(await ConfirmAsync(orderId, holdId, "fan-twice"));
        await tickets.Messages.Publisher.Publish(new ConfirmHold(orderId, holdId, "fan-twice"));
        await tickets.Messages.WaitForCountAsync<HoldConfirmed>(m => m.OrderId == orderId, 2);
        var secondOrder = Assert.IsType<HoldRejected>(await ConfirmAsync(Guid.NewGuid(), holdId, "fan-twice"));

        Assert.Equal(HoldRejectionReasons.AlreadyCheckedOut, secondOrder.Reason);
    }

    [Fact]
    public async Task A_cancelled_order_puts_its_held_seats_back_on_sale()
    {
        var (concertId, holdId) = await HoldAsync("fan-cancel", "B-3-9", "B-3-10");
        var orderId = Guid.NewGuid();
        await ConfirmAsync(orderId, holdId, "fan-cancel");

        await tickets.Messages.Publisher.Publish(new ReturnHold(orderId, holdId, "fan-cancel", OrderCancellationReasons.PaymentDeclined, WasSold: false));

        var released = await tickets.Messages.WaitForAsync<SeatsReleased>(m => m.HoldId == holdId);
        Assert.Equal("order_cancelled", released.Reason);
        await AssertSeatsAsync(concertId, "available", "B-3-9", "B-3-10");
    }

    [Fact]
    public async Task A_refund_voids_the_tickets_and_returns_the_seats()
    {
        var (concertId, holdId, orderId, code) = await SoldTicketAsync("fan-refund", "A-1-6");

        await tickets.Messages.Publisher.Publish(new ReturnHold(orderId, holdId, "fan-refund", OrderCancellationReasons.Refunded, WasSold: true));

        await tickets.Messages.WaitForAsync<TicketsVoided>(m => m.ConcertId == concertId);
        await AssertSeatsAsync(concertId, "available", "A-1-6");
        using var scan = await CheckInAsync(code, concertId);
        Assert.Equal(HttpStatusCode.Conflict, scan.StatusCode);
        Assert.Equal("voided", (await scan.ReadJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_refund_that_overtakes_its_orders_sale_issues_and_voids_the_tickets_and_the_late_sale_sells_nothing()
    {
        // SellHold and ReturnHold come on queues of their own: a fan refunded right after paying can have the refund
        // decided first. The order was paid, so the outcome is that of a sale and its refund, in that order.
        var (concertId, holdId) = await HoldAsync("fan-quick-refund", "A-1-3", "A-1-4");
        var orderId = Guid.NewGuid();
        await ConfirmAsync(orderId, holdId, "fan-quick-refund");

        await tickets.Messages.Publisher.Publish(new ReturnHold(orderId, holdId, "fan-quick-refund", OrderCancellationReasons.Refunded, WasSold: true));

        var issued = await tickets.Messages.WaitForAsync<TicketsIssued>(m => m.HoldId == holdId);
        var voided = await tickets.Messages.WaitForAsync<TicketsVoided>(m => m.ConcertId == concertId);
        Assert.Equal(issued.Tickets.Select(ticket => ticket.TicketId).Order(), voided.TicketIds.Order());
        await AssertSeatsAsync(concertId, "available", "A-1-3", "A-1-4");

        using (var consumed = ConsumedSignal<SellHold>.On(tickets.Tickets.Services, message => message.HoldId == holdId))
        {
            await tickets.Messages.Publisher.Publish(new SellHold(orderId, holdId, "fan-quick-refund"));
            await consumed.WaitAsync();
        }

        Assert.Single(tickets.Messages.All<TicketsIssued>(), m => m.HoldId == holdId);
        await AssertSeatsAsync(concertId, "available", "A-1-3", "A-1-4");
        var mine = await Polling.SettledAsync(
            () => TicketsOfAsync("fan-quick-refund", 2),
            found => found.All(ticket => ticket.GetProperty("status").GetString() == nameof(TicketStatus.Voided)),
            TimeSpan.FromSeconds(30));
        Assert.Equal(["A-1-3", "A-1-4"], mine.Select(ticket => ticket.GetProperty("seatId").GetString()).Order());
        Assert.All(mine, ticket => Assert.Equal(nameof(TicketStatus.Voided), ticket.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_cancelled_concert_stops_sales_and_voids_its_tickets()
    {
        var (concertId, _, _, code) = await SoldTicketAsync("fan-sad", "B-1-1");

        await tickets.Messages.Publisher.Publish(new ConcertCancelled(concertId, "Typhoon", DateTimeOffset.UtcNow));
        await tickets.Messages.WaitForAsync<TicketsVoided>(m => m.ConcertId == concertId && m.Reason == "concert_cancelled");

        using var hold = await tickets.Fan("fan-late").PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds = new[] { "B-1-2" } });
        Assert.Equal(HttpStatusCode.Conflict, hold.StatusCode);
        Assert.Equal("Sales have stopped", (await hold.ReadJsonAsync<JsonElement>()).GetProperty("title").GetString());
        using var scan = await CheckInAsync(code, concertId);
        Assert.Equal("voided", (await scan.ReadJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }
}
