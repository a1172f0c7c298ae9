using System.Collections.Concurrent;
using Ticketing.Contracts.Catalog;

namespace Ticketing.Tickets.Tests;

public sealed class Seats_under_a_drop(TicketsFixture tickets) : IClassFixture<TicketsFixture>
{
    [Fact]
    public async Task Five_hundred_fans_racing_for_pairs_of_three_hundred_seats_never_share_a_seat()
    {
        // 300 seats: section S, 10 rows of 30.
        var concertId = await tickets.PublishConcertAsync(
            [new SeatSection("S", "R", Enumerable.Range(1, 10).Select(row => new SeatRow(row.ToString(), 30)).ToList())]);
        var allSeats = Enumerable.Range(1, 10).SelectMany(row => Enumerable.Range(1, 30).Select(n => $"S-{row}-{n}")).ToList();
        var random = new Random(20261128);
        var wishes = Enumerable.Range(0, 500).Select(i => (Fan: $"racer-{i}", Seats: allSeats.OrderBy(_ => random.Next()).Take(2).ToArray())).ToList();
        var granted = new ConcurrentBag<(string Fan, Guid HoldId, string[] Seats)>();
        var refused = new ConcurrentBag<HttpStatusCode>();

        await Parallel.ForEachAsync(wishes, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (wish, token) =>
        {
            using var fan = tickets.Fan(wish.Fan);
            using var response = await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds = wish.Seats }, token);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                var hold = await response.ReadJsonAsync<JsonElement>();
                granted.Add((wish.Fan, hold.GetProperty("holdId").GetGuid(), hold.GetProperty("seatIds").EnumerateArray().Select(s => s.GetString()!).ToArray()));
            }
            else
            {
                refused.Add(response.StatusCode);
            }
        });

        Assert.Equal(500, granted.Count + refused.Count);
        Assert.All(refused, status => Assert.Equal(HttpStatusCode.Conflict, status));
        var heldSeats = granted.SelectMany(hold => hold.Seats).ToList();
        Assert.Equal(heldSeats.Count, heldSeats.Distinct().Count()); // no seat in two holds
        var statuses = await TicketsFixture.SeatStatusesAsync(tickets.Anonymous(), concertId);
        // Every 201 is a real hold of exactly its seats, and every refusal left nothing held.
        Assert.Equal(heldSeats.ToHashSet(), statuses.Where(seat => seat.Value == "held").Select(seat => seat.Key).ToHashSet());
        foreach (var hold in granted.Take(20))
        {
            using var fan = tickets.Fan(hold.Fan);
            var stored = await fan.GetFromJsonAsync<JsonElement>($"/api/tickets/holds/{hold.HoldId}");
            Assert.Equal("Held", stored.GetProperty("status").GetString());
            Assert.Equal(hold.Seats, stored.GetProperty("seatIds").EnumerateArray().Select(s => s.GetString()!).ToArray());
        }

        Assert.True(granted.Count >= 100, $"only {granted.Count} of 500 racers got a pair");
    }

    [Fact]
    public async Task Three_hundred_best_available_requests_for_the_last_hundred_seats_never_over_allocate()
    {
        // Tier VIP has 150 seats; 50 are taken first, leaving the last 100.
        var concertId = await tickets.PublishConcertAsync(
            [new SeatSection("V", "VIP", Enumerable.Range(1, 5).Select(row => new SeatRow(row.ToString(), 30)).ToList())], ticketLimitPerFan: 10);
        for (var i = 0; i < 5; i++)
        {
            using var early = tickets.Fan($"early-{i}");
            var seats = Enumerable.Range(1, 10).Select(n => $"V-{i + 1}-{n}").ToArray();
            (await early.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { seatIds = seats })).EnsureSuccessStatusCode();
        }

        var granted = new ConcurrentBag<string[]>();
        var refused = new ConcurrentBag<HttpStatusCode>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, token) =>
        {
            using var fan = tickets.Fan($"best-{i}");
            using var response = await fan.PostAsJsonAsync($"/api/tickets/concerts/{concertId}/holds", new { tier = "VIP", quantity = 1 }, token);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                granted.Add((await response.ReadJsonAsync<JsonElement>()).GetProperty("seatIds").EnumerateArray().Select(s => s.GetString()!).ToArray());
            }
            else
            {
                refused.Add(response.StatusCode);
            }
        });

        var seatsGranted = granted.SelectMany(seats => seats).ToList();
        Assert.True(seatsGranted.Count <= 100, $"{seatsGranted.Count} seats granted from the last 100");
        Assert.Equal(seatsGranted.Count, seatsGranted.Distinct().Count());
        Assert.All(refused, status => Assert.Equal(HttpStatusCode.Conflict, status));
        var statuses = await TicketsFixture.SeatStatusesAsync(tickets.Anonymous(), concertId);
        Assert.Equal(50 + seatsGranted.Count, statuses.Count(seat => seat.Value == "held"));
        Assert.True(seatsGranted.Count >= 90, $"only {seatsGranted.Count} of the last 100 seats were sold to 300 fans");
    }
}
