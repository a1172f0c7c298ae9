using Ticketing.Queue.Drops;

namespace Ticketing.Queue.Tests;

public sealed class Appending_to_a_drop(QueueFixture queue, ITestOutputHelper output) : IClassFixture<QueueFixture>
{
    [Fact]
    public async Task Appends_to_one_drop_take_turns_and_each_sees_the_one_before()
    {
        var drop = await queue.AnnounceConcertAsync(saleOpensAt: DateTimeOffset.UtcNow.AddHours(1));
        var writer = queue.Queue.Services.GetRequiredService<DropStreamWriter>();
        var inside = 0;
        var overlaps = 0;
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => writer.AppendDecidedAsync(drop, async token =>
        {
            if (Interlocked.Increment(ref inside) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            await Lasting.ForAsync(TimeSpan.FromMilliseconds(300), because: "the append stays inside the drop's lock while the others try to enter", token);
            Interlocked.Decrement(ref inside);
            return [new AdmissionPaused(drop, $"operator-{i}", DateTimeOffset.UtcNow)];
        }, CancellationToken.None)));
        output.WriteLine(string.Join(", ", results.Select(r => r.VersionBefore)));
        Assert.Equal(0, overlaps);
        Assert.Equal([1L, 2L, 3L, 4L], results.Select(r => r.VersionBefore).Order().ToArray());
    }
}
