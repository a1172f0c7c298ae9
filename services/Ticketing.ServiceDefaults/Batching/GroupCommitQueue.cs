using System.Diagnostics;
using System.Threading.Channels;
using Ticketing.ServiceDefaults.Telemetry;

namespace Ticketing.ServiceDefaults.Batching;

/// <summary>
/// The shared write path: group commit. Requests handed in while a group is being processed wait for the next one,
/// and each group is processed by one call (one read, one transaction) instead of one call per request. A group is
/// everything that waited, up to <c>maxGroup</c>, so groups grow with the load and there is no timer: a lone request
/// is processed at once. One group is processed at a time.
/// <para>
/// A group that fails is taken again one request at a time, so one bad request (or one that lost a race with another
/// instance) fails alone and the others commit; each caller gets its own result or its own exception. Group sizes,
/// durations and fall-backs are metrics (meter <c>Ticketing</c>), each group a span.
/// </para>
/// </summary>
public sealed class GroupCommitQueue<TRequest, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private readonly string name;
    private readonly Func<IReadOnlyList<TRequest>, CancellationToken, Task<IReadOnlyList<TResult>>> process;
    private readonly int maxGroup;
    private readonly Task processing;
    private int disposed;

    /// <param name="name">What the groups write, for metrics and traces (e.g. <c>catalog.stock.reserve</c>).</param>
    /// <param name="process">Processes a group; returns one result per request, in the order given.</param>
    /// <param name="maxGroup">The most requests in one group.</param>
    public GroupCommitQueue(string name, Func<IReadOnlyList<TRequest>, CancellationToken, Task<IReadOnlyList<TResult>>> process, int maxGroup)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGroup, 1);
        this.name = name;
        this.process = process;
        this.maxGroup = maxGroup;
        using (ExecutionContext.SuppressFlow())
        {
            // The loop serves every caller: it must not run inside the first caller's trace or log scope.
            processing = Task.Run(ProcessAsync);
        }
    }

    /// <summary>Queues the request; completes with its result when its group has committed.</summary>
    public Task<TResult> SubmitAsync(TRequest request, CancellationToken cancellationToken)
    {
        var pending = new Pending(request, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously), Activity.Current?.Context ?? default);
        if (!queue.Writer.TryWrite(pending))
        {
            throw new OperationCanceledException("The service is stopping; the request was not taken.");
        }

        // A caller that gives up stops waiting; its request stays in the group (it cannot be taken back mid-commit).
        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        // Once: a second call (an owner disposed twice while stopping) finds the token source already disposed.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

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

            var started = Stopwatch.GetTimestamp();
            using var activity = StartGroupActivity(group);
            activity?.SetTag("ticketing.group.size", group.Count);
            try
            {
                Complete(group, await process(group.Select(pending => pending.Request).ToList(), stopping.Token));
                WriteMetrics.Group(name, group.Count, Stopwatch.GetElapsedTime(started), isolated: false);
            }
            catch (Exception exception) when (group.Count > 1 && !stopping.IsCancellationRequested)
            {
                activity?.AddException(exception);
                WriteMetrics.Group(name, group.Count, Stopwatch.GetElapsedTime(started), isolated: true);
                foreach (var pending in group)
                {
                    await ProcessAloneAsync(pending);
                }
            }
            catch (Exception exception)
            {
                activity?.AddException(exception);
                group.ForEach(pending => pending.Result.TrySetException(exception));
            }
        }
    }

    /// <summary>
    /// The group's span continues the trace of its first recorded request (so a hold's trace runs on from the request
    /// through the commit to the outbox relay, which follows the events' <c>traceparent</c>) and links the others'.
    /// </summary>
    private Activity? StartGroupActivity(IReadOnlyList<Pending> group)
    {
        var callers = group.Select(pending => pending.Caller).Where(caller => caller != default).Distinct().ToList();
        var parent = callers.FirstOrDefault(caller => caller.TraceFlags.HasFlag(ActivityTraceFlags.Recorded));
        if (parent == default && callers.Count > 0)
        {
            parent = callers[0];
        }

        return TelemetryExtensions.Source.StartActivity(
            $"group commit {name}",
            ActivityKind.Internal,
            parent,
            links: callers.Where(caller => caller != parent).Select(caller => new ActivityLink(caller)));
    }

    private async Task ProcessAloneAsync(Pending pending)
    {
        try
        {
            Complete([pending], await process([pending.Request], stopping.Token));
        }
        catch (Exception exception)
        {
            pending.Result.TrySetException(exception);
        }
    }

    private static void Complete(IReadOnlyList<Pending> group, IReadOnlyList<TResult> results)
    {
        for (var i = 0; i < group.Count; i++)
        {
            group[i].Result.TrySetResult(results[i]);
        }
    }

    /// <param name="Caller">The trace context of the caller that submitted the request (default: none).</param>
    private sealed record Pending(TRequest Request, TaskCompletionSource<TResult> Result, ActivityContext Caller);
}
