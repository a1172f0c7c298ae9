using System.Diagnostics;
using Ticketing.Topology;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Ticketing.Scaling.Tests;

/// <summary>
/// deploy/k8s checked without a cluster: each overlay is rendered with <c>kubectl kustomize</c> and the rendered objects
/// are asserted — probes, non-root containers, a disruption budget per workload, pinned images, and the rest of what a
/// drop needs from the cluster.
/// </summary>
public sealed class Deployment_manifests
{
    /// <summary>The services of the system's layout (deploy/Ticketing.Topology), by their workload names.</summary>
    private static readonly string[] Services = [.. SystemLayout.Services.Select(service => service.Cluster)];

    private static readonly string[] PlatformWorkloads = [.. Services, "gateway"];

    /// <summary>The overlays of deploy/k8s each test renders.</summary>
    public static TheoryData<string> Overlays => ["dev", "prod"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_workload_has_health_probes_runs_as_non_root_and_uses_a_pinned_image(string overlay)
    {
        var objects = await RenderAsync(overlay);
        var deployments = Of(objects, "Deployment");
        Assert.Superset(PlatformWorkloads.ToHashSet(), deployments.Select(Name).ToHashSet());

        foreach (var deployment in deployments)
        {
            var pod = deployment["spec"]!["template"]!["spec"]!;
            foreach (var container in pod["containers"]!.AsArray().Select(c => c!))
            {
                var where = $"{overlay}: {Name(deployment)}/{container["name"]}";
                Assert.True(container["readinessProbe"] is not null, $"{where} has no readiness probe");
                Assert.True(container["livenessProbe"] is not null, $"{where} has no liveness probe");
                Assert.True(RunsAsNonRoot(pod, container), $"{where} may run as root");
                Assert.Equal("false", (string?)container["securityContext"]?["allowPrivilegeEscalation"]);
                Assert.True(container["resources"]?["requests"] is not null && container["resources"]?["limits"] is not null, $"{where} has no resource requests and limits");
                var image = (string)container["image"]!;
                Assert.True(IsPinned(image), $"{where} uses image '{image}', which is not pinned to a version");
            }

            if (PlatformWorkloads.Contains(Name(deployment)))
            {
                var container = pod["containers"]![0]!;
                Assert.Equal("/health/ready", (string?)container["readinessProbe"]!["httpGet"]?["path"]);
                Assert.Equal("/health/live", (string?)container["livenessProbe"]!["httpGet"]?["path"]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_workload_has_a_disruption_budget_and_every_service_an_autoscaler(string overlay)
    {
        var objects = await RenderAsync(overlay);
        var budgets = Of(objects, "PodDisruptionBudget");
        foreach (var deployment in Of(objects, "Deployment"))
        {
            var labels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
            Assert.True(
                budgets.Any(budget => Selects(budget["spec"]!["selector"]!["matchLabels"]!.AsObject(), labels)),
                $"{overlay}: no PodDisruptionBudget covers the pods of {Name(deployment)}");
        }

        var autoscaled = Of(objects, "HorizontalPodAutoscaler").Select(hpa => (string)hpa["spec"]!["scaleTargetRef"]!["name"]!).ToHashSet();
        Assert.Superset(PlatformWorkloads.ToHashSet(), autoscaled);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Only_the_gateway_is_reachable_from_outside(string overlay)
    {
        var objects = await RenderAsync(overlay);
        var policies = Of(objects, "NetworkPolicy");
        var denyAll = policies.Single(policy => policy["spec"]!["podSelector"]!.AsObject().Count == 0);
        Assert.Null(denyAll["spec"]!["ingress"]);

        // A rule without 'from' admits any source: only the gateway's policy may have one.
        var openToAnyone = policies
            .Where(policy => policy["spec"]!["ingress"]?.AsArray().Any(rule => rule!["from"] is null) == true)
            .Select(policy => (string?)policy["spec"]!["podSelector"]!["matchLabels"]?["app.kubernetes.io/name"])
            .ToList();
        Assert.Equal(["gateway"], openToAnyone);

        var exposed = Of(objects, "Service").Where(service => (string?)service["spec"]!["type"] is "LoadBalancer" or "NodePort").Select(Name).ToList();
        Assert.All(exposed, name => Assert.Equal("gateway", name));
    }

    [Fact]
    public async Task Production_runs_three_broker_nodes_a_primary_with_two_replicas_and_one_database_per_service()
    {
        var objects = await RenderAsync("prod");
        var rabbit = Of(objects, "RabbitmqCluster").Single();
        Assert.Equal("3", (string?)rabbit["spec"]!["replicas"]);
        var postgres = Of(objects, "Cluster").Single(cluster => ((string)cluster["apiVersion"]!).StartsWith("postgresql.cnpg.io/", StringComparison.Ordinal));
        Assert.Equal("3", (string?)postgres["spec"]!["instances"]);

        var databases = Of(objects, "Database").Select(database => (string)database["spec"]!["name"]!)
            .Append((string)postgres["spec"]!["bootstrap"]!["initdb"]!["database"]!)
            .ToHashSet();
        Assert.Equal(SystemLayout.Services.Select(service => service.Database).ToHashSet(), databases);

        // Each database is owned by the service's own role, whose password is the service's own secret.
        var owners = Of(objects, "Database").Select(database => (string)database["spec"]!["owner"]!)
            .Append((string)postgres["spec"]!["bootstrap"]!["initdb"]!["owner"]!)
            .ToHashSet();
        Assert.Equal(Services.ToHashSet(), owners);
        var roleSecrets = postgres["spec"]!["managed"]!["roles"]!.AsArray()
            .ToDictionary(role => (string)role!["name"]!, role => (string?)role!["passwordSecret"]?["name"]);
        roleSecrets[(string)postgres["spec"]!["bootstrap"]!["initdb"]!["owner"]!] = (string?)postgres["spec"]!["bootstrap"]!["initdb"]!["secret"]?["name"];
        foreach (var service in Services)
        {
            Assert.Equal($"postgres-{service}", roleSecrets.GetValueOrDefault(service));
        }

        foreach (var service in Services)
        {
            var env = Of(objects, "Deployment").Single(d => Name(d) == service)["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
            var connection = (string)env.Single(e => (string)e!["name"]! == "ConnectionStrings__Postgres")!["value"]!;
            Assert.Contains($"Database={SystemLayout.Services.Single(layout => layout.Cluster == service).Database};", connection, StringComparison.Ordinal);
            Assert.Equal("Quorum", (string?)env.Single(e => (string)e!["name"]! == "Messaging__QueueType")!["value"]);
        }

        // The keys come from secrets (in production, synced by External Secrets), never from literals in a manifest.
        var secretNames = Of(objects, "ExternalSecret").Select(Name).ToHashSet();
        Assert.Contains("ticketing-keys", secretNames);
        Assert.Empty(Of(objects, "Secret"));
        foreach (var deployment in Of(objects, "Deployment").Where(d => PlatformWorkloads.Contains(Name(d))))
        {
            var env = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
            var jwt = env.Single(e => (string)e!["name"]! == "Auth__SigningKey")!;
            Assert.Equal("ticketing-keys", (string?)jwt["valueFrom"]!["secretKeyRef"]!["name"]);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_gateway_reaches_every_service_and_every_service_signs_in_to_its_database_with_its_own_secret(string overlay)
    {
        var objects = await RenderAsync(overlay);
        var deployments = Of(objects, "Deployment");
        var gatewayEnv = deployments.Single(d => Name(d) == "gateway")["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
        // Secrets of the overlay: dev generates demo Secrets, prod syncs ExternalSecrets.
        var secretKind = overlay == "prod" ? "ExternalSecret" : "Secret";
        var secrets = Of(objects, secretKind).Select(Name).ToHashSet();

        foreach (var service in Services)
        {
            var setting = $"Services__{char.ToUpperInvariant(service[0])}{service[1..]}";
            var address = gatewayEnv.SingleOrDefault(e => (string)e!["name"]! == setting);
            Assert.True(address is not null, $"{overlay}: the gateway has no {setting}");
            // Tickets through its headless Service (every pod, for concert affinity), the others through their own.
            Assert.Equal(service == "tickets" ? "http://tickets-pods:8080" : $"http://{service}:8080", (string?)address["value"]);

            var kubernetesService = Of(objects, "Service").Single(s => Name(s) == service);
            Assert.Equal(service, (string?)kubernetesService["spec"]!["selector"]!["app.kubernetes.io/name"]);

            var env = deployments.Single(d => Name(d) == service)["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
            foreach (var variable in new[] { "PG_USER", "PG_PASSWORD" })
            {
                var secret = (string?)env.Single(e => (string)e!["name"]! == variable)!["valueFrom"]!["secretKeyRef"]!["name"];
                Assert.Equal($"postgres-{service}", secret);
            }

            Assert.True(secrets.Contains($"postgres-{service}"), $"{overlay}: no {secretKind} postgres-{service}");
        }
    }

    /// <summary>Connections PostgreSQL keeps for itself, its replication and the operator's monitoring.</summary>
    private const int ReservedConnections = 20;

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_service_at_its_autoscaling_maximum_fits_in_postgres_max_connections(string overlay)
    {
        var objects = await RenderAsync(overlay);
        var maxConnections = int.Parse((string)Of(objects, "Cluster").Single()["spec"]!["postgresql"]!["parameters"]!["max_connections"]!);
        var budget = new List<string>();
        var total = 0;
        foreach (var service in Services)
        {
            var pods = int.Parse((string)Of(objects, "HorizontalPodAutoscaler").Single(hpa => Name(hpa) == service)["spec"]!["maxReplicas"]!);
            var connectionString = (string)Env(Deployment(objects, service), "ConnectionStrings__Postgres")!;
            var pool = new Npgsql.NpgsqlConnectionStringBuilder(connectionString.Replace("$(PG_USER)", "u").Replace("$(PG_PASSWORD)", "p")).MaxPoolSize;
            total += pods * pool;
            budget.Add($"{service} {pods} x {pool}");
        }

        Assert.True(total <= maxConnections - ReservedConnections,
            $"{overlay}: {string.Join(" + ", budget)} = {total} pooled connections, but max_connections is {maxConnections} (minus {ReservedConnections} reserved)");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_gateway_sees_every_tickets_pod_through_a_headless_service_and_shares_its_limits(string overlay)
    {
        var objects = await RenderAsync(overlay);
        var gateway = Deployment(objects, "gateway");
        var ticketsAddress = new Uri((string)Env(gateway, "Services__Tickets")!);
        var headless = Of(objects, "Service").SingleOrDefault(service => Name(service) == ticketsAddress.Host);
        Assert.True(headless is not null, $"{overlay}: Services__Tickets names {ticketsAddress.Host}, which is no Service");
        Assert.Equal("None", (string?)headless!["spec"]!["clusterIP"]);
        var tickets = Deployment(objects, "tickets");
        Assert.True(Selects(headless["spec"]!["selector"]!.AsObject(), tickets["spec"]!["template"]!["metadata"]!["labels"]!.AsObject()),
            $"{overlay}: {Name(headless)} does not select the Tickets pods");
        Assert.Equal("true", (string?)Env(gateway, "Gateway__DestinationsFromDns__Enabled"));

        // Each gateway pod allows limit / Gateway__Replicas: kept equal to the HPA's minimum, what always runs.
        var gatewayScaler = Of(objects, "HorizontalPodAutoscaler").Single(hpa => Name(hpa) == "gateway");
        Assert.Equal((string)gatewayScaler["spec"]!["minReplicas"]!, (string?)Env(gateway, "Gateway__Replicas"));
    }

    [Fact]
    public async Task Production_enables_no_development_surface()
    {
        var objects = await RenderAsync("prod");
        var rendered = string.Join("\n", objects.Select(node => node.ToJsonString()));

        Assert.DoesNotContain(objects, node => node["metadata"]?["labels"]?["ticketing.io/development-only"] is not null);
        Assert.DoesNotContain("guest", rendered.Replace("loopback_users.guest = true", ""), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("trust", rendered, StringComparison.OrdinalIgnoreCase);
        foreach (var deployment in Of(objects, "Deployment").Where(deployment => PlatformWorkloads.Contains(Name(deployment))))
        {
            Assert.Null(Env(deployment, "Auth__DevelopmentIssuer__Enabled"));
            Assert.Equal("Production", (string?)Env(deployment, "ASPNETCORE_ENVIRONMENT"));
        }

        var rabbit = Of(objects, "RabbitmqCluster").Single();
        Assert.Contains("loopback_users.guest = true", (string)rabbit["spec"]!["rabbitmq"]!["additionalConfig"]!);

        // What development does turn on is labelled so: the dev overlay's demo secrets and development token issuer.
        var dev = await RenderAsync("dev");
        Assert.Contains(dev, node => (string?)node["metadata"]?["labels"]?["ticketing.io/development-only"] == "development-issuer");
        Assert.All(Of(dev, "Secret"), secret => Assert.NotNull(secret["metadata"]?["labels"]?["ticketing.io/development-only"]));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Prometheus_scrapes_every_workload_and_the_gateway_only_on_its_metrics_port(string overlay)
    {
        var objects = await RenderAsync(overlay);
        var monitors = Of(objects, "PodMonitor");
        foreach (var deployment in Of(objects, "Deployment").Where(deployment => PlatformWorkloads.Contains(Name(deployment))))
        {
            var pod = deployment["spec"]!["template"]!;
            var ports = pod["spec"]!["containers"]![0]!["ports"]!.AsArray().ToDictionary(port => (string)port!["name"]!, port => (string)port!["containerPort"]!);
            var monitor = monitors.SingleOrDefault(monitor => Selects(monitor["spec"]!["selector"]!["matchLabels"]!.AsObject(), pod["metadata"]!["labels"]!.AsObject()));
            Assert.True(monitor is not null, $"{overlay}: no PodMonitor scrapes {Name(deployment)}");
            var endpoint = Assert.Single(monitor!["spec"]!["podMetricsEndpoints"]!.AsArray())!;
            Assert.Equal("/metrics", (string?)endpoint["path"]);
            Assert.True(ports.ContainsKey((string)endpoint["port"]!), $"{overlay}: {Name(deployment)} has no port {endpoint["port"]}");
            if (Name(deployment) == "gateway")
            {
                // Its own port, set as Metrics__Port, and not one its Service (the public door) forwards to.
                Assert.Equal("metrics", (string?)endpoint["port"]);
                Assert.Equal(ports["metrics"], (string?)Env(deployment, "Metrics__Port"));
                var service = Of(objects, "Service").Single(service => Name(service) == "gateway");
                Assert.DoesNotContain(service["spec"]!["ports"]!.AsArray(), port => (string?)port!["targetPort"] is "metrics" or "9090" || (string?)port!["port"] == ports["metrics"]);
                var policies = Of(objects, "NetworkPolicy").Where(policy => (string?)policy["spec"]!["podSelector"]!["matchLabels"]?["app.kubernetes.io/name"] == "gateway");
                var openRules = policies.SelectMany(policy => policy["spec"]!["ingress"]!.AsArray()).Where(rule => rule!["from"] is null);
                Assert.All(openRules, rule => Assert.DoesNotContain(rule!["ports"]!.AsArray(), port => (string?)port!["port"] == ports["metrics"]));
            }
        }

        Assert.Contains(Of(objects, "ServiceMonitor"), monitor => (string?)monitor["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/name"] == "ticketing-rabbitmq");
        Assert.Contains(Of(objects, "ConfigMap"), map => (string?)map["metadata"]!["labels"]?["grafana_dashboard"] == "1");
    }

    [Fact]
    public async Task The_cluster_alerts_on_relay_lag_error_queues_and_hold_latency_with_the_rules_of_compose()
    {
        var rule = Assert.Single(Of(await RenderAsync("prod"), "PrometheusRule"));
        var compose = Parse(await File.ReadAllTextAsync(Path.Combine(ProcessHost.RepositoryRoot(), "deploy", "monitoring", "prometheus", "alerts.yml"))).Single();

        Assert.True(JsonNode.DeepEquals(compose["groups"], rule["spec"]!["groups"]), "the PrometheusRule's groups differ from deploy/monitoring/prometheus/alerts.yml");
        var alerts = rule["spec"]!["groups"]!.AsArray().SelectMany(group => group!["rules"]!.AsArray()).Select(alert => (string)alert!["alert"]!).ToList();
        Assert.Superset(new HashSet<string> { "TicketingOutboxRelayLagging", "TicketingErrorQueueGrowing", "TicketingHoldLatencyAboveTarget" }, alerts.ToHashSet());
    }

    private static JsonNode Deployment(IEnumerable<JsonNode> objects, string name) =>
        Of(objects, "Deployment").Single(deployment => Name(deployment) == name);

    private static JsonNode? Env(JsonNode deployment, string name) =>
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray()
            .FirstOrDefault(variable => (string?)variable!["name"] == name)?["value"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_Queue_signs_admission_passes_with_the_key_Tickets_and_Orders_verify_them_with(string overlay)
    {
        var objects = await RenderAsync(overlay);
        foreach (var service in new[] { "queue", "tickets", "orders" })
        {
            var env = Of(objects, "Deployment").Single(d => Name(d) == service)["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();
            var key = env.SingleOrDefault(e => (string)e!["name"]! == "AdmissionPasses__Key");
            Assert.True(key is not null, $"{overlay}: {service} has no AdmissionPasses__Key");
            Assert.Equal("ticketing-keys", (string?)key["valueFrom"]!["secretKeyRef"]!["name"]);
            Assert.Equal("admission-pass-key", (string?)key["valueFrom"]!["secretKeyRef"]!["key"]);
        }

        var keys = overlay == "prod"
            ? Of(objects, "ExternalSecret").Single(s => Name(s) == "ticketing-keys")["spec"]!["data"]!.AsArray().Select(d => (string)d!["secretKey"]!).ToList()
            : Of(objects, "Secret").Single(s => Name(s) == "ticketing-keys")["data"]!.AsObject().Select(pair => pair.Key).ToList();
        Assert.Contains("admission-pass-key", keys);
    }

    private static bool RunsAsNonRoot(JsonNode pod, JsonNode container)
    {
        bool? Flag(JsonNode? context) => (string?)context?["runAsNonRoot"] is { } value ? value == "true" : null;
        string? User(JsonNode? context) => (string?)context?["runAsUser"];
        var nonRoot = Flag(container["securityContext"]) ?? Flag(pod["securityContext"]) ?? false;
        var user = User(container["securityContext"]) ?? User(pod["securityContext"]);
        return nonRoot && user != "0";
    }

    private static bool IsPinned(string image)
    {
        if (image.Contains("@sha256:", StringComparison.Ordinal))
        {
            return true;
        }

        var lastSegment = image[(image.LastIndexOf('/') + 1)..];
        var colon = lastSegment.IndexOf(':');
        return colon > 0 && lastSegment[(colon + 1)..] is { Length: > 0 } tag && tag != "latest";
    }

    private static bool Selects(JsonObject selector, JsonObject labels) =>
        selector.All(pair => labels.TryGetPropertyValue(pair.Key, out var value) && (string?)value == (string?)pair.Value);

    private static string Name(JsonNode node) => (string)node["metadata"]!["name"]!;

    private static List<JsonNode> Of(IEnumerable<JsonNode> objects, string kind) =>
        objects.Where(node => (string?)node["kind"] == kind).ToList();

    /// <summary>Runs <c>kubectl kustomize deploy/k8s/overlays/{overlay}</c> and parses every rendered object.</summary>
    private static async Task<IReadOnlyList<JsonNode>> RenderAsync(string overlay)
    {
        var directory = Path.Combine(ProcessHost.RepositoryRoot(), "deploy", "k8s", "overlays", overlay);
        var start = new ProcessStartInfo("kubectl", ["kustomize", directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("kubectl is needed to render deploy/k8s (it ships kustomize); install it and run again.", exception);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"kubectl kustomize {overlay} failed: {await errors}");
            return Parse(await output);
        }
    }

    private static List<JsonNode> Parse(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        var objects = new List<JsonNode>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (ToJson(deserializer.Deserialize<object?>(parser)) is { } node)
            {
                objects.Add(node);
            }
        }

        Assert.NotEmpty(objects);
        return objects;
    }

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> map => new JsonObject(map.Select(pair => KeyValuePair.Create(pair.Key.ToString()!, ToJson(pair.Value)))),
        IList<object?> list => new JsonArray(list.Select(ToJson).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };
}
