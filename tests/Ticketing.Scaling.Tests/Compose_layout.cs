using Ticketing.Topology;
using YamlDotNet.RepresentationModel;

namespace Ticketing.Scaling.Tests;

/// <summary>
/// deploy/compose describes the same system for a Docker host (container names and ports instead of loopback ports):
/// every service of the layout (deploy/Ticketing.Topology) is built from its project, on its own database, and is a
/// destination of the gateway, and compose runs nothing the layout does not know.
/// </summary>
public sealed class Compose_layout
{
    [Fact]
    public async Task Compose_runs_every_service_of_the_layout_on_its_database_behind_the_gateway()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(await File.ReadAllTextAsync(Path.Combine(ProcessHost.RepositoryRoot(), "deploy", "compose", "compose.yaml"))));
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        string? Text(YamlNode node, params string[] path) =>
            path.Aggregate<string, YamlNode?>(node, (current, key) => current is YamlMappingNode map && map.Children.TryGetValue(key, out var child) ? child : null) is YamlScalarNode scalar
                ? scalar.Value
                : null;

        var gateway = services["gateway"];
        Assert.Equal(SystemLayout.GatewayProject, Text(gateway, "build", "args", "PROJECT"));
        foreach (var service in SystemLayout.Services)
        {
            Assert.True(services.Children.ContainsKey(service.Cluster), $"compose has no service '{service.Cluster}'");
            var node = services[service.Cluster];
            Assert.Equal(service.Project, Text(node, "build", "args", "PROJECT"));
            Assert.Contains($"Database={service.Database};", Text(node, "environment", "ConnectionStrings__Postgres"), StringComparison.Ordinal);
            Assert.Equal($"http://{service.Cluster}:8080", Text(gateway, "environment", $"Services__{service.Name}"));
        }

        var projects = services.Children.Values.Select(node => Text(node, "build", "args", "PROJECT")).OfType<string>().ToHashSet();
        Assert.Equal(SystemLayout.Services.Select(service => service.Project).Append(SystemLayout.GatewayProject).ToHashSet(), projects);
    }
}
