using Microsoft.Extensions.Options;
using Ticketing.Contracts.Orders;
using Ticketing.Contracts.Tickets;
using Ticketing.Tickets.Admission;

namespace Ticketing.Tickets.Tests;

/// <summary>
/// A gate scans for one concert, and a code admits only the ticket it was issued for, once: the signature alone is not
/// enough, the code's claims must be the stored ticket's, and the ticket must be for the gate's concert.
/// </summary>
public sealed class Checking_in_at_the_gate(TicketsFixture tickets) : IClassFixture<TicketsFixture>
{
    /// <summary>A scanner holding the venue's key could sign any claims; so could anyone who stole it.</summary>
    private static readonly TicketCodes Signer = new(Options.Create(new TicketSigningOptions { Key = PlatformFixture.TestSigningKey }));

    [Fact]
    public async Task A_ticket_is_admitted_at_its_own_concerts_gate_and_refused_as_wrong_concert_at_another()
    {
        var ticket = await TicketAsync("fan-two-shows", "A-1-1");
        var otherConcert = await tickets.PublishConcertAsync();

        using var elsewhere = await CheckInAsync(ticket.Code, otherConcert);
        using var here = await CheckInAsync(ticket.Code, ticket.ConcertId);

        var refusal = await AssertRefusedAsync(elsewhere, HttpStatusCode.Conflict, "wrong_concert");
        Assert.Equal(ticket.ConcertId, refusal.GetProperty("ticketConcertId").GetGuid());
        Assert.Equal(HttpStatusCode.OK, here.StatusCode);
        var admitted = await here.ReadJsonAsync<JsonElement>();
        Assert.Equal(ticket.TicketId, admitted.GetProperty("ticketId").GetGuid());
        Assert.Equal("A-1-1", admitted.GetProperty("seatId").GetString());
    }

    [Theory]
    [InlineData("concert")]
    [InlineData("seat")]
    [InlineData("holder")]
    public async Task A_signed_code_naming_a_real_ticket_with_other_claims_is_refused_as_code_mismatch(string claim)
    {
        var ticket = await TicketAsync($"fan-mismatch-{claim}", "A-2-1");
        var otherConcert = await tickets.PublishConcertAsync();
        var forged = Signer.Issue(claim switch
        {
            "concert" => new TicketClaims(ticket.TicketId, otherConcert, ticket.SeatId, ticket.FanId),
            "seat" => new TicketClaims(ticket.TicketId, ticket.ConcertId, "A-2-2", ticket.FanId),
            _ => new TicketClaims(ticket.TicketId, ticket.ConcertId, ticket.SeatId, "fan-thief"),
        });
        var gate = claim == "concert" ? otherConcert : ticket.ConcertId;

        using var response = await CheckInAsync(forged, gate);

        await AssertRefusedAsync(response, HttpStatusCode.BadRequest, "code_mismatch");
        using var genuine = await CheckInAsync(ticket.Code, ticket.ConcertId);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode); // the forged scan did not use the ticket up
    }

    [Theory]
    [InlineData("""{"code":"TKT1.x.y"}""")]
    [InlineData("""{"code":"TKT1.x.y","concertId":null}""")]
    [InlineData("""{"code":"TKT1.x.y","concertId":"00000000-0000-0000-0000-000000000000"}""")]
    public async Task A_scan_that_does_not_name_the_gates_concert_is_a_400_naming_concertId(string body)
    {
        using var scanner = tickets.Operator();

        using var response = await scanner.PostAsync("/api/tickets/check-in", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("concertId", out _));
    }

    [Fact]
    public async Task Racing_scans_of_one_code_at_twelve_gates_admit_it_exactly_once()
    {
        var ticket = await TicketAsync("fan-racing", "B-1-4");
        var gates = Enumerable.Range(1, 12).Select(gate => tickets.Tickets.CreateClient().WithToken(TestTokens.Operator($"gate-{gate}"))).ToList();
        using var start = new Barrier(gates.Count);

        var scans = await Task.WhenAll(gates.Select(gate => Task.Run(async () =>
        {
            start.SignalAndWait();
            return await gate.PostAsJsonAsync("/api/tickets/check-in", new { code = ticket.Code, concertId = ticket.ConcertId });
        })));

        var answers = scans.Select(scan => scan.StatusCode).ToList();
        Assert.Equal(1, answers.Count(status => status == HttpStatusCode.OK));
        foreach (var refused in scans.Where(scan => scan.StatusCode != HttpStatusCode.OK))
        {
            await AssertRefusedAsync(refused, HttpStatusCode.Conflict, "already_checked_in");
        }

        using var later = await CheckInAsync(ticket.Code, ticket.ConcertId);
        await AssertRefusedAsync(later, HttpStatusCode.Conflict, "already_checked_in");
        gates.ForEach(gate => gate.Dispose());
    }

    private sealed record IssuedTicket(Guid TicketId, Guid ConcertId, string SeatId, string FanId, string Code);

    /// <summary>A fan holds a seat, Orders confirms and pays (played by the recorder), and Tickets issues the ticket.</summary>
    private async Task<IssuedTicket> TicketAsync(string fanId, string seatId)
    {
        var concertId = await tickets.PublishConcertAsync();
        using var fan = tickets.Fan(fanId);
        using var held = await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds = new[] { seatId } });
        Assert.Equal(HttpStatusCode.Created, held.StatusCode);
        var holdId = (await held.ReadJsonAsync<JsonElement>()).GetProperty("holdId").GetGuid();
        var orderId = Guid.NewGuid();
        await tickets.Messages.Publisher.Publish(new ConfirmHold(orderId, holdId, fanId));
        await tickets.Messages.WaitForAsync<HoldConfirmed>(message => message.OrderId == orderId);
        await tickets.Messages.Publisher.Publish(new SellHold(orderId, holdId, fanId));
        await tickets.Messages.WaitForAsync<TicketsIssued>(message => message.OrderId == orderId);

        JsonElement mine = default;
        await Polling.UntilAsync(async () =>
        {
            mine = (await fan.GetFromJsonAsync<List<JsonElement>>("/api/tickets/mine"))!.FirstOrDefault(t => t.GetProperty("concertId").GetGuid() == concertId);
            return mine.ValueKind == JsonValueKind.Object;
        }, TimeSpan.FromSeconds(15));
        return new IssuedTicket(mine.GetProperty("ticketId").GetGuid(), concertId, seatId, fanId, mine.GetProperty("code").GetString()!);
    }

    private async Task<HttpResponseMessage> CheckInAsync(string code, Guid concertId)
    {
        using var scanner = tickets.Operator();
        return await scanner.PostAsJsonAsync("/api/tickets/check-in", new { code, concertId });
    }

    private static async Task<JsonElement> AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {reason}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(reason, problem.GetProperty("reason").GetString());
        return problem;
    }
}
