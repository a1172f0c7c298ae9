using System.Diagnostics.Metrics;
using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ticketing.ServiceDefaults.Messaging;

/// <summary>
/// The outbox relay's metrics (meter <c>Ticketing.Outbox</c>): messages published by type, failed publish attempts
/// (the broker out of reach), and the relay's lag: events committed that the relay has not passed yet, read by
/// <see cref="OutboxLagMonitor"/>. Every instance reports the same lag (it is read from the database); only the
/// instance holding the daemon publishes, and it alone reports <c>ticketing.outbox.relay.running</c> 1.
/// </summary>
public sealed class OutboxMetrics
{
    public const string MeterName = "Ticketing.Outbox";

    private readonly Counter<long> published;
    private readonly Counter<long> failures;
    private long lag = -1;

    public OutboxMetrics(IMeterFactory meters, IServiceProvider services)
    {
        var meter = meters.Create(MeterName);
        published = meter.CreateCounter<long>(
            "ticketing.outbox.published", "{message}", "Integration messages the outbox relay published (a batch counts each message), by message type.");
        failures = meter.CreateCounter<long>(
            "ticketing.outbox.publish.failures", "{attempt}", "Publish attempts of the outbox relay that failed and are retried, by message type.");
        meter.CreateObservableGauge(
            "ticketing.outbox.lag",
            () => Interlocked.Read(ref lag) is var events and >= 0 ? [new Measurement<long>(events)] : Array.Empty<Measurement<long>>(),
            "{event}",
            "Events committed but not yet passed by the outbox relay (the highest event sequence minus the relay's progress).");
        meter.CreateObservableGauge(
            "ticketing.outbox.relay.running",
            () => RelayRunsHere(services) ? 1 : 0,
            "{relay}",
            "1 on the instance whose async daemon runs the outbox relay now, 0 on the others (one relay per service).");
    }

    /// <summary>The last lag read; -1 before the first reading.</summary>
    public long Lag => Interlocked.Read(ref lag);

    public void Published(string messageType, int count) =>
        published.Add(count, new KeyValuePair<string, object?>("message_type", messageType));

    public void PublishFailed(string messageType) =>
        failures.Add(1, new KeyValuePair<string, object?>("message_type", messageType));

    /// <summary>Whether this process's async daemon is running the relay's shard (read from the daemon, not the database).</summary>
    private static bool RelayRunsHere(IServiceProvider services) =>
        services.GetService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>()?.DaemonForMainDatabase().CurrentAgents().Any(agent =>
            agent.Name.Identity.StartsWith(IntegrationEventRelay.SubscriptionName, StringComparison.Ordinal) &&
            agent.Status == AgentStatus.Running) ?? false;

    internal void LagRead(long events) => Interlocked.Exchange(ref lag, Math.Max(0, events));
}

/// <summary>
/// Reads the relay's lag every <c>Outbox:LagInterval</c> (5 s by default): two small queries, the highest event
/// sequence and the subscriptions' progress.
/// </summary>
public sealed partial class OutboxLagMonitor(
    IDocumentStore store, OutboxMetrics metrics, IConfiguration configuration, ILogger<OutboxLagMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("Outbox:LagInterval", TimeSpan.FromSeconds(5));
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                metrics.LagRead(await ReadLagAsync(stoppingToken));
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogReadFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<long> ReadLagAsync(CancellationToken cancellationToken)
    {
        var highest = await store.Storage.Database.FetchHighestEventSequenceNumber(cancellationToken);
        var progress = await store.Advanced.AllProjectionProgress(token: cancellationToken);
        var relayed = progress
            .Where(shard => shard.ShardName.StartsWith(IntegrationEventRelay.SubscriptionName, StringComparison.Ordinal))
            .Select(shard => shard.Sequence)
            .DefaultIfEmpty(0)
            .Max();
        return highest - relayed;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading the outbox relay's lag failed; trying again at the next interval")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
