namespace Ticketing.Tickets.Tests;

/// <summary>
/// A bot of one fan fires 40 hold requests at the same instant against a limit of 4: whatever the service does with
/// them (one batch, several, retries), the fan never holds more than 4 seats. Checked only through the API (the
/// answers, the seat map and the fan's holds), so it holds for any implementation of the hold path.
/// </summary>
public sealed class One_fans_burst_of_holds(TicketsFixture tickets) : IClassFixture<TicketsFixture>
{
    private const int Limit = 4;
    private const int Burst = 40;

    [Theory]
    [InlineData("specific seats")]
    [InlineData("best available")]
    public async Task Forty_holds_at_once_never_give_one_fan_more_than_the_limit(string how)
    {
        var concertId = await tickets.PublishConcertAsync(ticketLimitPerFan: Limit);
        var seats = new[] { 1, 2, 3 }.SelectMany(row => Enumerable.Range(1, 10).Select(n => $"B-{row}-{n}")).ToList();
        var clients = Enumerable.Range(0, Burst).Select(_ => tickets.Fan("fan-bot")).ToList();
        using var start = new Barrier(Burst);

        var answers = await Task.WhenAll(clients.Select((client, i) => Task.Run(async () =>
        {
            object body = how == "specific seats" ? new { seatIds = new[] { seats[i % seats.Count] } } : new { tier = "R", quantity = 1 };
            start.SignalAndWait();
            return await client.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", body);
        })));

        var placed = new List<JsonElement>();
        foreach (var answer in answers)
        {
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode is HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict,
                $"{(int)answer.StatusCode} {body}");
            if (answer.StatusCode == HttpStatusCode.Created)
            {
                placed.Add(JsonDocument.Parse(body).RootElement.Clone());
            }
            else if (answer.StatusCode == HttpStatusCode.UnprocessableEntity)
            {
                Assert.Equal(Limit, JsonDocument.Parse(body).RootElement.GetProperty("limit").GetInt32());
            }
        }

        var heldByAnswers = placed.Sum(hold => hold.GetProperty("seatIds").GetArrayLength());
        Assert.InRange(heldByAnswers, 1, Limit);

        // What the service says now, not what it answered: the seat map and each of the fan's holds.
        var statuses = await TicketsFixture.SeatStatusesAsync(tickets.Anonymous(), concertId);
        Assert.InRange(statuses.Values.Count(status => status == "held"), 1, Limit);
        using var fan = tickets.Fan("fan-bot");
        foreach (var hold in placed)
        {
            var stored = await fan.GetFromJsonAsync<JsonElement>($"/api/tickets/holds/{hold.GetProperty("holdId").GetGuid()}");
            Assert.Equal("Held", stored.GetProperty("status").GetString());
        }

        // And the limit still stands after the burst: one more seat is refused.
        using var oneMore = await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds = new[] { "A-2-6" } });
        if (heldByAnswers == Limit)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, oneMore.StatusCode);
        }

        clients.ForEach(client => client.Dispose());
    }
}
