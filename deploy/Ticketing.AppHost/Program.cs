using Ticketing.AppHost;
using Ticketing.Topology;

// The system as it runs on a developer's machine: PostgreSQL and RabbitMQ are already up (./ticketing starts them);
// this AppHost creates the databases, starts every instance of every service and the gateway as the built Release
// dlls on the loopback ports of SystemLayout, seeds the demo data, and shows it all in the Aspire dashboard.
LocalDashboard.UseLoopbackDefaults();
var builder = DistributedApplication.CreateBuilder(args);
var system = new LocalSystem(builder, Repository.Root(), SystemLayout.Replicas);

await Databases.CreateMissingAsync(SystemLayout.PostgresServer, SystemLayout.Services.Select(service => service.Database));
var instances = SystemLayout.Services.ToDictionary(service => service, system.AddInstances);
var gateway = system.AddGateway(instances);
var seed = system.AddSeed(gateway);

var app = builder.Build();
system.ReportWhenReady(app, seed);
await app.RunAsync();
