namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// Reads a queue's statistics from the management API at a fixed interval while a phase runs and keeps the
/// peaks: the deepest backlog and the highest publish, deliver and ack rates the broker reported.
/// </summary>
public sealed class QueueSampler
{
    public QueueStats? Last { get; private set; }
    public long MaxReady { get; private set; }
    public double MaxPublishRate { get; private set; }
    public double MaxDeliverRate { get; private set; }
    public double MaxAckRate { get; private set; }

    /// <summary>Samples until <paramref name="cancellationToken"/> is cancelled (the end of the phase).</summary>
    public async Task RunAsync(RabbitMqManagement management, string queue, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(interval);
            do
            {
                Add(await management.QueueAsync(queue, cancellationToken));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the phase is over
        }
    }

    /// <summary>Adds a reading taken outside the sampling loop (the broker's rates lag by a stats interval).</summary>
    public void Add(QueueStats? stats)
    {
        if (stats is null)
        {
            return;
        }

        Last = stats;
        MaxReady = Math.Max(MaxReady, stats.Ready);
        MaxPublishRate = Math.Max(MaxPublishRate, stats.PublishRate);
        MaxDeliverRate = Math.Max(MaxDeliverRate, stats.DeliverRate);
        MaxAckRate = Math.Max(MaxAckRate, stats.AckRate);
    }
}
