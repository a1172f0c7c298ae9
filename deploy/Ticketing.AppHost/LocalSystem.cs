using System.Text;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ticketing.Topology;

namespace Ticketing.AppHost;

/// <summary>
/// The resources of the local system. Every service instance and the gateway run as their built Release dll
/// (<c>dotnet Ticketing.X.dll</c>, as in production, without <c>dotnet run</c>) on a fixed loopback port, not behind
/// the orchestrator's proxy: the gateway lists every Tickets instance as a destination of its own and sends all
/// requests about one concert to the same instance (concert affinity), which a proxy in between would spread at random.
/// </summary>
internal sealed class LocalSystem(IDistributedApplicationBuilder builder, string root, int replicas)
{
    private static readonly string Environment = Setting("ASPNETCORE_ENVIRONMENT", "Development");

    /// <summary>
    /// Share of traces recorded (<c>Telemetry:TraceSampleRatio</c>): the services' own 5 % unless
    /// <c>TICKETING_TRACE_SAMPLE_RATIO</c> says otherwise (1: every request). Every request traced cost 70 % more CPU
    /// per hold in the holds benchmark (5.3 against 3.1 ms), and the benchmarks run on this system; each process also
    /// starts at most <c>Telemetry:MaxTracesPerSecond</c> traces a second (below). A request that arrives with a sampled
    /// <c>traceparent</c> is traced whatever the ratio and the cap (deploy/apphost/trace-a-hold.sh).
    /// </summary>
    private static readonly string? TraceSampleRatio = System.Environment.GetEnvironmentVariable("TICKETING_TRACE_SAMPLE_RATIO");

    /// <summary>
    /// New traces each process starts a second at most (<c>Telemetry:MaxTracesPerSecond</c>) on this system: 2
    /// (<c>TICKETING_MAX_TRACES_PER_SECOND</c>), not the services' production default of 20. Here the collector is the
    /// Aspire dashboard on the same two cores as the drop: at 20 a second per process it took 24 s of CPU in one
    /// 98-second stadium sale (a quarter of a core), where 2 a second still show every kind of request within seconds.
    /// </summary>
    private static readonly string MaxTracesPerSecond = Setting("TICKETING_MAX_TRACES_PER_SECOND", "2");

    /// <summary>
    /// 1 (the runtime's default): methods start quickly compiled and are recompiled once hot with the profile they ran
    /// (dynamic PGO: devirtualised and inlined interface calls, hot paths laid out first). Measured 2026-12-02 on this box,
    /// the same build: the gateway's <c>/health/live</c> 10–11k/s with 0 against 26k/s with 1, and fans' status reads
    /// through the gateway 7.4k/s against 17.7k/s (0.16 against 0.05 ms of the gateway's CPU per read). 0 compiles each
    /// method once, fully optimised but without a profile: no slow first minutes after a start, at that price after them.
    /// </summary>
    private static readonly string TieredCompilation = Setting("TICKETING_TIERED_COMPILATION", "1");

    /// <summary>
    /// How long the runtime waits, after the last method it compiled for the first time, before it starts counting calls
    /// towards the optimised recompile (<c>DOTNET_TC_CallCountingDelayMs</c>; the runtime's default is 100 ms). On a busy
    /// start every request reaches new code, so that delay kept restarting and the first drop after a start ran on
    /// unoptimised code: 0 counts from the first call, and hot methods are recompiled within the first seconds.
    /// </summary>
    private static readonly string CallCountingDelayMs = Setting("TICKETING_CALL_COUNTING_DELAY_MS", "0");

    /// <summary>
    /// How often each process sends its metrics to the dashboard, in ms (<c>TICKETING_METRIC_EXPORT_MS</c>): 5 s, not the
    /// orchestrator's 1 s. Taking in every instrument of eight processes each second kept the dashboard at 8 % of a
    /// core with the system idle, all of it on the same two cores as a drop; its charts now move every 5 s.
    /// </summary>
    private static readonly string MetricExportInterval = Setting("TICKETING_METRIC_EXPORT_MS", "5000");

    /// <summary>Every instance of <paramref name="service"/>, each with its own port, all on the service's database and the broker.</summary>
    public IReadOnlyList<IResourceBuilder<ExecutableResource>> AddInstances(ServiceLayout service)
    {
        var instances = new List<IResourceBuilder<ExecutableResource>>();
        for (var ordinal = 1; ordinal <= replicas; ordinal++)
        {
            var name = service.InstanceName(ordinal).ToLowerInvariant();
            var instance = AddDotnet(name, service.Project, service.InstancePort(ordinal))
                .WithEnvironment("ConnectionStrings__RabbitMq", SystemLayout.Amqp.ToString())
                // application_name tells in pg_stat_activity / pg_locks which instance a connection belongs to.
                .WithEnvironment("ConnectionStrings__Postgres", SystemLayout.PostgresConnection(service.Database, name));
            if (System.Environment.GetEnvironmentVariable("TICKETING_QUEUE_TYPE") is { Length: > 0 } queueType)
            {
                instance.WithEnvironment("Messaging__QueueType", queueType);
            }

            if (instances.Count > 0)
            {
                instance.WithParentRelationship(instances[0]);
            }

            instances.Add(instance);
        }

        return instances;
    }

    /// <summary>The gateway, with each service's instances as its cluster's destinations (<c>Services__Tickets=http://…:5103;http://…:5113</c>).</summary>
    public IResourceBuilder<ExecutableResource> AddGateway(IReadOnlyDictionary<ServiceLayout, IReadOnlyList<IResourceBuilder<ExecutableResource>>> instances)
    {
        var gateway = AddDotnet("gateway", SystemLayout.GatewayProject, SystemLayout.Gateway.Value)
            .WithEnvironment("Auth__DevelopmentIssuer__Enabled", "true")
            .WithEnvironment("Metrics__Port", SystemLayout.GatewayMetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (service, serviceInstances) in instances)
        {
            gateway.WithEnvironment($"Services__{service.Name}", string.Join(';', SystemLayout.InstanceUrls(service, replicas).Select(url => url.ToString().TrimEnd('/'))));
            gateway.WithReferenceRelationship(serviceInstances[0]);
        }

        return gateway;
    }

    /// <summary>
    /// The demo data (deploy/seed/seed.sh through the gateway's API), as soon as the gateway answers <c>/health/ready</c>.
    /// The seed asks the gateway itself, twice a second, rather than waiting for the orchestrator's health check of it,
    /// which polls less often: `./ticketing up` is ready a few seconds sooner.
    /// </summary>
    public IResourceBuilder<ExecutableResource> AddSeed(IResourceBuilder<ExecutableResource> gateway) =>
        builder.AddExecutable(
                "seed",
                "bash",
                root,
                "-c",
                "until curl -fsS -o /dev/null --max-time 2 \"$GATEWAY_URL/health/ready\" 2>/dev/null; do sleep 0.5; done; exec bash deploy/seed/seed.sh")
            .WithEnvironment("GATEWAY_URL", SystemLayout.GatewayUrl.ToString().TrimEnd('/'))
            .WithParentRelationship(gateway);

    /// <summary>
    /// Once the seed has finished (after the gateway was ready), writes what runs where to <c>TICKETING_APPHOST_READY_FILE</c>
    /// (<c>./ticketing up</c> waits for it and prints it) and to the log; a failed seed is written as <c>failed: …</c>.
    /// </summary>
    public void ReportWhenReady(DistributedApplication app, IResourceBuilder<ExecutableResource> seed)
    {
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ticketing.AppHost");
        var readyFile = System.Environment.GetEnvironmentVariable("TICKETING_APPHOST_READY_FILE");
        _ = Task.Run(async () =>
        {
            try
            {
                var stopping = lifetime.ApplicationStopping;
                var finished = await notifications.WaitForResourceAsync(
                    seed.Resource.Name,
                    update => KnownResourceStates.TerminalStates.Contains(update.Snapshot.State?.Text),
                    stopping);
                var report = finished.Snapshot.ExitCode == 0
                    ? Summary()
                    : $"failed: the seed (deploy/seed/seed.sh) ended with exit code {finished.Snapshot.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}; its output is in the dashboard's console logs of 'seed'\n";
                logger.LogInformation("{Report}", report);
                if (readyFile is { Length: > 0 })
                {
                    await File.WriteAllTextAsync(readyFile + ".tmp", report, stopping);
                    File.Move(readyFile + ".tmp", readyFile, overwrite: true);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped before the system was ready.
            }
        });
    }

    /// <summary>What runs where, one line each (printed by <c>./ticketing up</c>).</summary>
    private string Summary()
    {
        var text = new StringBuilder();
        void Line(string what, string where) => text.Append(System.Globalization.CultureInfo.InvariantCulture, $"  {what,-22} {where}\n");
        var gateway = SystemLayout.GatewayUrl.ToString().TrimEnd('/');
        Line("Gateway", $"{gateway}   (ready: /health/ready)");
        Line("Aspire dashboard", $"{SystemLayout.Http(SystemLayout.Dashboard.Value)}   (resources, console logs, traces, structured logs, metrics)");
        Line("Ops dashboard", $"{gateway}/ops   (operator sign-in with the development issuer)");
        Line("Prometheus metrics", $"{SystemLayout.Http(SystemLayout.GatewayMetricsPort)}metrics (gateway); /metrics on each service's port");
        if (Environment == "Development")
        {
            Line("API reference", $"{gateway}/scalar   (documents: /openapi/<service>.json)");
        }

        foreach (var service in SystemLayout.Services)
        {
            for (var ordinal = 1; ordinal <= replicas; ordinal++)
            {
                Line($"{service.InstanceName(ordinal)} service", $"{SystemLayout.Http(service.InstancePort(ordinal)).ToString().TrimEnd('/')}   (db {service.Database})");
            }
        }

        Line("RabbitMQ management", $"{SystemLayout.Http(SystemLayout.RabbitMqManagement.Value)}   (guest / guest)");
        Line("RabbitMQ AMQP", SystemLayout.Amqp.ToString());
        Line("PostgreSQL", $"{SystemLayout.PostgresServer}   (psql -h {SystemLayout.Loopback} -p {SystemLayout.Postgres.Value} -U postgres)");
        return text.ToString();
    }

    private IResourceBuilder<ExecutableResource> AddDotnet(string name, string project, int port)
    {
        var dll = Repository.Dll(root, project);
        var url = SystemLayout.Http(port).ToString().TrimEnd('/');
        var process = builder.AddExecutable(name, "dotnet", Path.GetDirectoryName(dll)!, dll)
            .WithHttpEndpoint(port: port, name: "http", isProxied: false)
            .WithEnvironment("ASPNETCORE_URLS", url)
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", Environment)
            .WithEnvironment("DOTNET_TieredCompilation", TieredCompilation)
            .WithEnvironment("DOTNET_TC_CallCountingDelayMs", CallCountingDelayMs)
            .WithOtlpExporter()
            .WithEnvironment("OTEL_METRIC_EXPORT_INTERVAL", MetricExportInterval)
            .WithEnvironment("Telemetry__MaxTracesPerSecond", MaxTracesPerSecond)
            .WithHttpHealthCheck("/health/ready");
        return TraceSampleRatio is { Length: > 0 } ratio ? process.WithEnvironment("Telemetry__TraceSampleRatio", ratio) : process;
    }

    private static string Setting(string variable, string fallback) =>
        System.Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : fallback;
}
