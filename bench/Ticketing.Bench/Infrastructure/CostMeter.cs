namespace Ticketing.Bench.Infrastructure;

/// <summary>What a phase cost the system: CPU per process group, database work, messages, and error-queue messages.</summary>
public sealed record PhaseCost(CpuUsage? Cpu, IReadOnlyList<DatabaseActivity> Databases, long WalBytes, MessageCounters Messages, IReadOnlyList<string> NewErrors)
{
    public long RowsWritten => Databases.Sum(database => database.RowsWritten);

    /// <summary>
    /// Operations per second the box's cores would carry at the system's CPU per operation, if nothing else ran:
    /// a figure that other work on a shared box moves much less than a rate measured beside it.
    /// </summary>
    public string CpuBoundRate(int count) => Cpu is { } cpu && cpu.GroupsMillisecondsPer(count) > 0
        ? $"{cpu.Cores * 1000 / cpu.GroupsMillisecondsPer(count):F0}"
        : "not measured";

    /// <summary>Rows written per operation, all databases.</summary>
    public string RowsPer(int count) => $"{(double)RowsWritten / Math.Max(1, count):F2}";

    /// <summary>Messages delivered to the system's consumers per operation.</summary>
    public string DeliveriesPer(int count) => $"{(double)Messages.Delivered / Math.Max(1, count):F2}";

    /// <summary>
    /// "4.10 (box 6.20)": CPU milliseconds per operation of the system's processes (the benchmark's included), and of
    /// the whole box, whoever used it; "not measured" where there is no /proc.
    /// </summary>
    public string CpuPer(int count) => Cpu is { } cpu
        ? $"{cpu.GroupsMillisecondsPer(count):F2} (box {cpu.BoxMillisecondsPer(count):F2})"
        : "not measured";
}

/// <summary>
/// Measures the cost of a phase: started before it, stopped at its end. CPU comes from <see cref="CpuMeter"/> over
/// every process of the system (<see cref="SystemProcesses.Platform"/>); rows and transactions from every database of
/// the system (<see cref="DatabaseActivity"/>) and the server's WAL; messages from the broker's counters, the benchmark's own queues
/// (<c>bench-…</c>) left out; and messages that reached an error queue meanwhile.
/// </summary>
public sealed class CostMeter
{
    private const string BenchQueuePrefix = "bench-";

    /// <summary>How long until the databases and the broker have published the counters of what ran until now.</summary>
    private static readonly TimeSpan Settling = DatabaseActivity.FlushDelay > MessageCounters.RefreshDelay ? DatabaseActivity.FlushDelay : MessageCounters.RefreshDelay;

    private readonly Servers servers;
    private readonly RabbitMqManagement management;
    private readonly IReadOnlyList<DatabaseActivity> databases;
    private readonly long walStart;
    private readonly MessageCounters messages;
    private readonly IReadOnlyDictionary<string, long> errors;
    private readonly CpuMeter? cpu;

    private CostMeter(Servers servers, RabbitMqManagement management, IReadOnlyList<DatabaseActivity> databases, long walStart, MessageCounters messages,
        IReadOnlyDictionary<string, long> errors, CpuMeter? cpu)
    {
        this.servers = servers;
        this.management = management;
        this.databases = databases;
        this.walStart = walStart;
        this.messages = messages;
        this.errors = errors;
        this.cpu = cpu;
    }

    /// <summary>
    /// Waits until the counters of earlier work are published (<see cref="DatabaseActivity.FlushDelay"/>), reads
    /// them, and starts the CPU meter.
    /// </summary>
    /// <param name="started">Names of the processes the benchmark started itself (<see cref="SystemProcesses.Started"/>).</param>
    public static async Task<CostMeter> StartAsync(Servers servers, RabbitMqManagement management, IEnumerable<string> started, CancellationToken cancellationToken)
    {
        await Task.Delay(Settling, cancellationToken);
        var names = await DatabaseActivity.SystemDatabasesAsync(servers, cancellationToken);
        var databases = await ReadAsync(servers, names, cancellationToken);
        var walStart = await DatabaseServer.WalPositionAsync(servers, cancellationToken);
        var messages = await management.CountersAsync(cancellationToken);
        var errors = await management.ErrorQueuesAsync(cancellationToken);
        return new CostMeter(servers, management, databases, walStart, messages, errors, CpuMeter.Start(SystemProcesses.Platform(names, started)));
    }

    /// <summary>Stops the CPU meter now, then waits until the databases and the broker have published their counters.</summary>
    public async Task<PhaseCost> StopAsync(CancellationToken cancellationToken)
    {
        var usage = cpu?.Stop();
        await Task.Delay(Settling, cancellationToken);
        var after = await ReadAsync(servers, databases.Select(database => database.Database), cancellationToken);
        var walBytes = await DatabaseServer.WalPositionAsync(servers, cancellationToken) - walStart;
        var counted = await management.CountersAsync(cancellationToken) - messages;
        var errorsAfter = await management.ErrorQueuesAsync(cancellationToken);
        return new PhaseCost(
            usage,
            after.Select(database => database - databases.Single(before => before.Database == database.Database)).ToList(),
            walBytes,
            counted with
            {
                DeliveredByQueue = counted.DeliveredByQueue.Where(queue => !queue.Key.StartsWith(BenchQueuePrefix, StringComparison.Ordinal))
                    .ToDictionary(queue => queue.Key, queue => queue.Value),
            },
            errorsAfter.Where(queue => queue.Value > errors.GetValueOrDefault(queue.Key))
                .Select(queue => $"{queue.Key} +{queue.Value - errors.GetValueOrDefault(queue.Key)}").ToList());
    }

    private static async Task<IReadOnlyList<DatabaseActivity>> ReadAsync(Servers servers, IEnumerable<string> names, CancellationToken cancellationToken) =>
        await Task.WhenAll(names.Select(name => DatabaseActivity.ReadAsync(servers, name, cancellationToken)));
}
