using Microsoft.Extensions.Options;
using Ticketing.Contracts.Queue;
using Ticketing.Gateway.WaitingRoom;

namespace Ticketing.Queue.Tests;

/// <summary>The rule the Queue and the gateway share for a fan not yet admitted, and when the gateway must ask the Queue.</summary>
public sealed class Edge_answer_rules
{
    private static readonly Guid Drop = Guid.NewGuid();
    private static readonly DateTimeOffset DrawAt = new(2026, 12, 24, 11, 0, 0, TimeSpan.Zero);

    private static QueueBoard Board(bool drawn = true, int cursor = 100, bool paused = false, bool soldOut = false, bool closed = false, double rate = 600) =>
        new(Drop, "concert", paused, soldOut, closed, rate, drawn, cursor, 5_000, DrawAt, DrawAt.AddMinutes(1));

    private static QueuePlace Place(int index) => new(Guid.NewGuid(), index, DrawAt.AddMinutes(-20));

    [Fact]
    public void A_waiting_fan_is_told_their_place_fans_ahead_and_the_wait_at_the_rate()
    {
        var place = Place(149);
        var answer = Board().Answer(place)!;

        Assert.Equal(("waiting", 50, 49, 5), (answer.Status, answer.Position, answer.AheadOfYou, answer.EstimatedWaitSeconds));
        Assert.Equal((place.EntryId, Drop, "general", "concert", 5_000), (answer.EntryId, answer.DropId, answer.Room, answer.Kind, answer.QueueLength));
        Assert.Equal((place.JoinedAt, DrawAt), (answer.JoinedAt, answer.DrawAt));
        Assert.Null(answer.AdmissionPass);
        Assert.Null(answer.PassExpiresAt);
    }

    [Fact]
    public void Before_the_draw_a_place_has_no_position_and_sold_out_and_closed_tell_the_fan_at_once()
    {
        Assert.Equal(("waiting", null, null), Summary(Board(drawn: false, cursor: 0).Answer(Place(-1))!));
        Assert.Equal(("sold_out", 50, null), Summary(Board(soldOut: true).Answer(Place(149))!));
        Assert.Equal(("closed", null, null), Summary(Board(closed: true, soldOut: true).Answer(Place(149))!));
        Assert.True(Board(paused: true).Answer(Place(149))!.Paused);
    }

    [Fact]
    public void The_Queue_answers_an_admitted_or_passed_over_fan_and_a_place_learned_before_the_draw()
    {
        Assert.Null(Board(cursor: 100).Answer(Place(99)));  // behind the cursor: admitted (the pass is the Queue's to sign)
        Assert.NotNull(Board(cursor: 100).Answer(Place(100))); // next in line
        Assert.Null(Board(drawn: true).Answer(Place(-1)));  // learned before the draw: the index is the Queue's now
        Assert.Null(Board(drawn: false).Answer(Place(3)));  // a board older than the place
    }

    [Fact]
    public void A_wait_is_never_shorter_than_the_rate_allows_and_a_rate_of_zero_counts_as_one_a_minute()
    {
        Assert.Equal(("waiting", 1, 60), Summary(Board(cursor: 0, rate: 0).Answer(Place(0))!));
        Assert.Equal(1, WaitingPlace.WaitSeconds(1, 6_000));
        Assert.Equal(int.MaxValue, WaitingPlace.WaitSeconds(1, 0));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(99_999)]
    public void A_place_goes_through_its_header_unchanged(int index)
    {
        var place = new QueuePlace(Guid.NewGuid(), index, DateTimeOffset.FromUnixTimeMilliseconds(1_798_000_000_123));

        Assert.True(QueuePlace.TryParse(place.ToString(), out var parsed));
        Assert.Equal(place, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-place")]
    [InlineData("0123456789abcdef0123456789abcdef.-2.1")]
    [InlineData("0123456789abcdef0123456789abcdef.1.-5")]
    [InlineData("0123456789abcdef0123456789abcdef.1")]
    public void A_malformed_place_header_is_refused(string? header) => Assert.False(QueuePlace.TryParse(header, out _));

    [Fact]
    public void Past_its_bound_a_gateway_forgets_only_the_places_nobody_read_for_a_generation()
    {
        var places = new QueuePlaces(Options.Create(new QueueEdgeOptions { MaxPlaces = 4 }));
        var (read, unread, third, fourth, fifth) = (Place(1), Place(2), Place(3), Place(4), Place(5));
        places.Remember(Drop, "read", read);
        places.Remember(Drop, "unread", unread);
        places.Remember(Drop, "third", third); // past half the bound: these three become the older generation

        Assert.Equal(read, places.Find(Drop, "read")); // read, so moved to the newer generation
        places.Remember(Drop, "fourth", fourth);
        places.Remember(Drop, "fifth", fifth); // the newer generation turns older again: unread and third were not read

        Assert.Null(places.Find(Drop, "unread"));
        Assert.Null(places.Find(Drop, "third"));
        Assert.Equal(read, places.Find(Drop, "read"));
        Assert.Equal(fifth, places.Find(Drop, "fifth"));
        Assert.Equal(fourth, places.Find(Drop, "fourth"));
        Assert.InRange(places.Remembered, 3, 4);

        // A place told again is the one found, not the older generation's copy.
        var moved = Place(6);
        places.Remember(Drop, "fifth", moved);
        Assert.Equal(moved, places.Find(Drop, "fifth"));
    }

    private static (string, int?, int?) Summary(EntryResponse answer) => (answer.Status, answer.Position, answer.EstimatedWaitSeconds);
}
