using System.Threading.Channels;

namespace Ticketing.ServiceDefaults.Batching;

/// <summary>
/// Group commit: requests handed in while a group is being processed wait for the next one, and each group is
/// processed by one call (one read, one transaction) instead of one call per request. A group is everything that
/// waited, up to <c>maxGroup</c>, so groups grow with the load and there is no timer: a lone request is processed
/// at once. Each caller's task completes with its own result when its group is done, or fails with the group's
/// exception (a consumer then fails, and the bus retries its message). One group is processed at a time.
/// </summary>
public sealed class RequestGroups<TRequest, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private readonly Func<IReadOnlyList<TRequest>, CancellationToken, Task<IReadOnlyList<TResult>>> process;
    private readonly int maxGroup;
    private readonly Task processing;

    /// <param name="process">Processes a group; returns one result per request, in the order given.</param>
    /// <param name="maxGroup">The most requests in one group.</param>
    public RequestGroups(Func<IReadOnlyList<TRequest>, CancellationToken, Task<IReadOnlyList<TResult>>> process, int maxGroup)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroup, 1);
        this.process = process;
        this.maxGroup = maxGroup;
        processing = Task.Run(ProcessAsync);
    }

    public Task<TResult> SubmitAsync(TRequest request, CancellationToken cancellationToken)
    {
        var pending = new Pending(request, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
        {
            throw new OperationCanceledException("The service is stopping; the request was not taken.");
        }

        // A caller that gives up stops waiting; its request stays in the group (it cannot be taken back mid-commit).
        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await stopping.CancelAsync();
        try
        {
            await processing;
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        while (queue.Reader.TryRead(out var pending))
        {
            pending.Result.TrySetCanceled();
        }

        stopping.Dispose();
    }

    private async Task ProcessAsync()
    {
        var group = new List<Pending>(maxGroup);
        while (await queue.Reader.WaitToReadAsync(stopping.Token))
        {
            group.Clear();
            while (group.Count < maxGroup && queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
            }

            try
            {
                var results = await process(group.Select(pending => pending.Request).ToList(), stopping.Token);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Result.TrySetResult(results[i]);
                }
            }
            catch (Exception exception)
            {
                group.ForEach(pending => pending.Result.TrySetException(exception));
            }
        }
    }

    private sealed record Pending(TRequest Request, TaskCompletionSource<TResult> Result);
}
