using Ticketing.Tickets.Shared;

namespace Ticketing.Tickets.Tests;

/// <summary>
/// Ticket ids, without a database: the same hold and seat always give the same id (selling a hold again issues the same
/// tickets), and a ticket's id begins with the time its hold was placed, so that tickets sold later sort after those
/// sold before and a drop adds them at the right edge of the tickets' primary key.
/// </summary>
public sealed class Ticket_ids
{
    private static readonly Guid HeldEarlier = Guid.Parse("0192f0a8-5c1e-7a3b-9d4e-1f2a3b4c5d6e"); // version 7: 2024-11-03 06:13:38.462 UTC

    [Fact]
    public void Are_the_same_for_the_same_hold_and_seat_and_differ_by_seat()
    {
        Assert.Equal(StreamKeys.Ticket(HeldEarlier, "A-1-1"), StreamKeys.Ticket(HeldEarlier, "A-1-1"));
        Assert.NotEqual(StreamKeys.Ticket(HeldEarlier, "A-1-1"), StreamKeys.Ticket(HeldEarlier, "A-1-2"));
        Assert.Equal(Guid.Parse("0192f0a8-5c1e-8a96-85fa-1d49066adc02"), StreamKeys.Ticket(HeldEarlier, "A-1-1"));
    }

    [Fact]
    public void Begin_with_the_time_the_hold_was_placed_and_sort_after_those_of_earlier_holds()
    {
        var placed = new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);
        var holds = Enumerable.Range(0, 50).Select(i => Guid.CreateVersion7(placed.AddMilliseconds(i * 7))).ToList();
        var tickets = holds.SelectMany(hold => new[] { StreamKeys.Ticket(hold, "Z-9-9"), StreamKeys.Ticket(hold, "A-1-1") }).ToList();

        Assert.All(tickets, ticket => Assert.Equal(8, ticket.Version));
        Assert.Equal(
            holds.Select(hold => Prefix(hold)).SelectMany(prefix => new[] { prefix, prefix }),
            tickets.Select(Prefix));
        Assert.Equal(
            tickets.Select(Prefix),
            tickets.Select(Prefix).Order(StringComparer.Ordinal)); // PostgreSQL orders uuids by their bytes
    }

    [Fact]
    public void Of_a_hold_whose_id_tells_no_time_are_its_hash_as_before()
    {
        var notTimed = Guid.Parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301"); // version 4

        Assert.Equal(Guid.Parse("93537ac1-0c77-8a69-8c05-2bcbb5a91323"), StreamKeys.Ticket(notTimed, "A-1-1"));
    }

    /// <summary>The first 48 bits, in the byte order PostgreSQL compares them in.</summary>
    private static string Prefix(Guid id) => Convert.ToHexString(id.ToByteArray(bigEndian: true)[..6]);
}
