using Ticketing.ServiceDefaults.Batching;

namespace Ticketing.Platform.Tests;

/// <summary>The shared write path (<see cref="GroupCommitQueue{TRequest, TResult}"/>), without servers.</summary>
public sealed class Group_commit
{
    [Fact]
    public async Task Requests_that_arrive_while_a_group_commits_are_committed_together_as_the_next_group()
    {
        var groups = new List<int[]>();
        var firstGroupStarted = new TaskCompletionSource();
        var releaseFirstGroup = new TaskCompletionSource();
        await using var queue = new GroupCommitQueue<int, int>("test", async (group, _) =>
        {
            lock (groups)
            {
                groups.Add([.. group]);
            }

            if (groups.Count == 1)
            {
                firstGroupStarted.SetResult();
                await releaseFirstGroup.Task;
            }

            return [.. group.Select(request => request * 10)];
        }, maxGroup: 100);

        var first = queue.SubmitAsync(1, CancellationToken.None);
        await firstGroupStarted.Task;
        var waiting = Enumerable.Range(2, 5).Select(request => queue.SubmitAsync(request, CancellationToken.None)).ToList();
        releaseFirstGroup.SetResult();

        Assert.Equal(10, await first);
        var answers = await Task.WhenAll(waiting);
        Assert.Equal([20, 30, 40, 50, 60], answers);
        Assert.Equal([[1], [2, 3, 4, 5, 6]], groups);
    }

    [Fact]
    public async Task A_request_that_fails_its_group_fails_alone_and_the_others_commit()
    {
        var committed = new List<int>();
        var gate = new TaskCompletionSource();
        await using var queue = new GroupCommitQueue<int, int>("test", async (group, _) =>
        {
            await gate.Task;
            if (group.Contains(13))
            {
                throw new InvalidOperationException("13 cannot be written");
            }

            lock (committed)
            {
                committed.AddRange(group);
            }

            return [.. group];
        }, maxGroup: 100);

        var blocker = queue.SubmitAsync(0, CancellationToken.None);
        var requests = new[] { 11, 12, 13, 14 }.ToDictionary(request => request, request => queue.SubmitAsync(request, CancellationToken.None));
        gate.SetResult();
        await blocker;

        Assert.Equal(11, await requests[11]);
        Assert.Equal(12, await requests[12]);
        Assert.Equal(14, await requests[14]);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => requests[13]);
        Assert.Equal("13 cannot be written", failure.Message);
        Assert.Equal([0, 11, 12, 14], committed.Order());
    }

    [Fact]
    public async Task A_caller_that_gives_up_stops_waiting_without_cancelling_the_others()
    {
        var gate = new TaskCompletionSource();
        await using var queue = new GroupCommitQueue<int, int>("test", async (group, _) =>
        {
            await gate.Task;
            return [.. group];
        }, maxGroup: 100);
        using var gaveUp = new CancellationTokenSource();

        var blocker = queue.SubmitAsync(0, CancellationToken.None);
        var abandoned = queue.SubmitAsync(1, gaveUp.Token);
        var patient = queue.SubmitAsync(2, CancellationToken.None);
        await gaveUp.CancelAsync();
        gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(2, await patient);
        Assert.Equal(0, await blocker);
    }
}
