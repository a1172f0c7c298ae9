namespace Ticketing.ServiceDefaults.Messaging;

/// <summary>Consumer and retry settings, section <c>Messaging</c>.</summary>
public sealed class MessagingOptions
{
    private static readonly int[] DefaultRetryIntervalsMs = [100, 500, 2000];

    /// <summary>
    /// Delays between immediate retries of a failing message before it goes to the <c>_error</c> queue.
    /// (No initial value here: the configuration binder appends to an existing array instead of replacing it.)
    /// </summary>
    public int[]? RetryIntervalsMs { get; set; }

    public int[] EffectiveRetryIntervalsMs => RetryIntervalsMs is { Length: > 0 } configured ? configured : DefaultRetryIntervalsMs;

    /// <summary>
    /// Retries of a message that failed because the database could not be reached, with back-off up to 15 s between
    /// tries (20 tries: about four minutes), before it is given up to the <c>_error</c> queue.
    /// </summary>
    public int TransientRetryLimit { get; set; } = 20;

    /// <summary>Messages RabbitMQ hands to one consumer endpoint before acknowledgements.</summary>
    public ushort PrefetchCount { get; set; } = 32;

    /// <summary>Messages one endpoint processes at the same time.</summary>
    public int ConcurrentMessageLimit { get; set; } = 16;

    /// <summary>
    /// The type of the services' consumer queues. <see cref="MessagingQueueType.Quorum"/> on a cluster (replicated,
    /// survives a broker node; what deploy/ sets); <see cref="MessagingQueueType.Classic"/> is the default for a single local
    /// node, where a quorum queue adds an fsync per message and nothing to fail over to, and where queues that already
    /// exist as classic cannot change type in place (RabbitMQ refuses a redeclare with another <c>x-queue-type</c>).
    /// </summary>
    public MessagingQueueType QueueType { get; set; } = MessagingQueueType.Classic;

    /// <summary>Replicas of each quorum queue; unset means the broker's default (every node, up to 5).</summary>
    public int? QuorumReplicationFactor { get; set; }
}

public enum MessagingQueueType
{
    Classic,
    Quorum,
}
