using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Ticketing.Bench.Api;
using Ticketing.Bench.Infrastructure;
using Ticketing.Bench.Reference;

namespace Ticketing.Bench.Holds;

/// <summary>
/// The plain-SQL reference of the holds benchmark, started and stopped by the benchmark: the reference endpoint
/// (<c>bench/Ticketing.Bench.Reference</c>) on its scratch database, and behind it a second process of the running
/// gateway: the same dll, started with the same environment and working folder, so the same configuration
/// (authentication, the <c>fan</c> policy, the <c>holds</c> rate limit, YARP), plus one route to the reference with
/// the policies of the platform's hold route. Fans' holds then pass the same checks on both paths.
/// </summary>
public sealed class ReferenceHost : IAsyncDisposable
{
    public const string Route = "api/bench-reference";
    public const string EndpointProcess = "reference-endpoint";
    public const string GatewayProcess = "reference-gateway";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly List<Process> processes = [];

    private ReferenceHost(Servers servers) => Database = servers.Database(ReferenceSeats.Database, 4);

    /// <summary>The second gateway, through which fans reach the reference.</summary>
    public Uri Gateway { get; private set; } = null!;

    /// <summary>The reference's scratch database.</summary>
    public NpgsqlDataSource Database { get; }

    public static async Task<ReferenceHost> StartAsync(Servers servers, Report report, CancellationToken cancellationToken)
    {
        var host = new ReferenceHost(servers);
        try
        {
            await CreateDatabaseAsync(servers, cancellationToken);
            await using (var schema = host.Database.CreateCommand(ReferenceSeats.Schema))
            {
                await schema.ExecuteNonQueryAsync(cancellationToken);
            }

            var endpoint = new Uri($"http://127.0.0.1:{FreePort()}/");
            var connectionString = new NpgsqlConnectionStringBuilder(servers.Postgres) { Database = ReferenceSeats.Database }.ConnectionString;
            var gateway = RunningGateway();
            host.Start(EndpointProcess, "dotnet", Path.Combine(AppContext.BaseDirectory, "Ticketing.Bench.Reference.dll"), AppContext.BaseDirectory, new()
            {
                ["ASPNETCORE_URLS"] = endpoint.ToString(),
                ["ConnectionStrings__Reference"] = connectionString,
                // Compiled as the system's processes are (the AppHost's TICKETING_TIERED_COMPILATION), so the comparison is like for like.
                ["DOTNET_TieredCompilation"] = gateway.Environment.GetValueOrDefault("DOTNET_TieredCompilation") ?? "1",
                ["Logging__LogLevel__Default"] = "Warning",
            });

            host.Gateway = new Uri($"http://127.0.0.1:{FreePort()}/");
            var environment = new Dictionary<string, string?>(gateway.Environment)
            {
                ["ASPNETCORE_URLS"] = host.Gateway.ToString(),
                ["Metrics__Port"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), // the running gateway's is taken

                // Reports its telemetry as the gateway does (the same cost), under a name of its own in the dashboard.
                ["OTEL_SERVICE_NAME"] = GatewayProcess,
                ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={GatewayProcess}-{Environment.ProcessId}",
                ["ReverseProxy__Routes__bench-reference__ClusterId"] = "bench-reference",
                ["ReverseProxy__Routes__bench-reference__Match__Path"] = $"/{Route}/concerts/{{concertId:guid}}/holds",
                ["ReverseProxy__Routes__bench-reference__Match__Methods__0"] = "POST",
                ["ReverseProxy__Routes__bench-reference__AuthorizationPolicy"] = "fan",
                ["ReverseProxy__Routes__bench-reference__RateLimiterPolicy"] = "holds",
                ["ReverseProxy__Clusters__bench-reference__Destinations__reference-1__Address"] = endpoint.ToString(),
            };
            host.Start(GatewayProcess, "dotnet", gateway.Dll, gateway.WorkingDirectory, environment);

            await WaitLiveAsync(endpoint, cancellationToken);
            await WaitLiveAsync(host.Gateway, cancellationToken);
            report.Line($"reference: {endpoint} (pid {host.processes[0].Id}), behind a second gateway {host.Gateway} (pid {host.processes[1].Id}, {gateway.Dll}, the environment of pid {gateway.Pid})");
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Lays out the seats of a concert of <paramref name="venue"/>, all free.</summary>
    public async Task<Guid> CreateConcertAsync(Venue venue, CancellationToken cancellationToken)
    {
        var concertId = Guid.CreateVersion7();
        var seats = venue.SeatsBestFirst().ToList();
        await using var insert = Database.CreateCommand(ReferenceSeats.Insert);
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = concertId });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = seats.Select(seat => seat.SeatId).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = seats.Select(seat => seat.Tier).ToArray() });
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await using var analyze = Database.CreateCommand("ANALYZE reference_seats");
        await analyze.ExecuteNonQueryAsync(cancellationToken);
        return concertId;
    }

    /// <summary>Free seats per tier of a concert.</summary>
    public async Task<IReadOnlyDictionary<string, int>> SeatsLeftAsync(Guid concertId, CancellationToken cancellationToken)
    {
        await using var command = Database.CreateCommand("SELECT tier, count(*)::int FROM reference_seats WHERE concert_id = $1 AND hold_id IS NULL GROUP BY tier");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = concertId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var left = new Dictionary<string, int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            left[reader.GetString(0)] = reader.GetInt32(1);
        }

        return left;
    }

    /// <summary>Every held seat of a concert with its hold.</summary>
    public async Task<IReadOnlyDictionary<string, Guid>> HeldAsync(Guid concertId, CancellationToken cancellationToken)
    {
        await using var command = Database.CreateCommand(ReferenceSeats.Held);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = concertId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var held = new Dictionary<string, Guid>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            held[reader.GetString(0)] = reader.GetGuid(1);
        }

        return held;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        await Database.DisposeAsync();
    }

    private void Start(string name, string fileName, string dll, string workingDirectory, Dictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(SystemProcesses.StartedMarker + name);
        start.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        foreach (var key in new[] { "PATH", "HOME", "DOTNET_ROOT" })
        {
            start.Environment.TryAdd(key, Environment.GetEnvironmentVariable(key));
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        process.OutputDataReceived += (_, _) => { }; // read and dropped, so that a full pipe never blocks it
        process.BeginOutputReadLine();
        processes.Add(process);
    }

    /// <summary>The gateway that <c>./ticketing up</c> started from this checkout: its pid, dll, working folder and environment.</summary>
    private static (int Pid, string Dll, string WorkingDirectory, IReadOnlyDictionary<string, string?> Environment) RunningGateway()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || SystemProcesses.CommandLine(pid) is not { } commandLine
                || !SystemProcesses.Service("Gateway").Matches(pid, commandLine))
            {
                continue;
            }

            var dll = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0').First(argument => argument.EndsWith("Ticketing.Gateway.dll", StringComparison.Ordinal));
            var environment = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => entry.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .ToDictionary(pair => pair[0], pair => (string?)pair[1]);
            var workingDirectory = new DirectoryInfo(Path.Combine(directory, "cwd")).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetDirectoryName(dll)!;
            return (pid, dll, workingDirectory, environment);
        }

        throw new InvalidOperationException($"No gateway of {SystemProcesses.Root} is running: start the system with ./ticketing up -d.");
    }

    private static async Task CreateDatabaseAsync(Servers servers, CancellationToken cancellationToken)
    {
        await using var server = servers.Database("postgres", 1);
        await using var exists = server.CreateCommand("SELECT 1 FROM pg_database WHERE datname = $1");
        exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ReferenceSeats.Database });
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = server.CreateCommand($"CREATE DATABASE {ReferenceSeats.Database}");
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitLiveAsync(Uri address, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        await PlatformClient.PollAsync($"{address}health/live", StartTimeout, async token =>
        {
            try
            {
                using var response = await http.GetAsync("health/live", token);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, cancellationToken);
    }
}
