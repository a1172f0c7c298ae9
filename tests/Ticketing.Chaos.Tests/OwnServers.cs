using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Ticketing.Testing;

namespace Ticketing.Chaos.Tests;

/// <summary>
/// A PostgreSQL and a RabbitMQ node of the chaos suite's own, on free loopback ports, in a temporary folder, started
/// with the same binaries <c>./ticketing</c> uses: the suite stops, kills and restarts them, which it must never do to
/// the servers the other tests share. When run as root, PostgreSQL runs as user <c>postgres</c> and RabbitMQ drops to
/// <c>rabbitmq</c>, as the script does.
/// </summary>
public sealed class OwnServers : IAsyncDisposable
{
    private const string PgBin = "/usr/lib/postgresql/15/bin";
    private const string RabbitBin = "/usr/lib/rabbitmq/bin";

    private readonly string root = Path.Combine(Path.GetTempPath(), $"ticketing-chaos-{Guid.NewGuid():N}"[..32]);
    private readonly int pgPort = FreePort();
    private readonly int amqpPort = FreePort();
    private readonly int managementPort = FreePort();
    private readonly int distPort = FreePort();
    private readonly int epmdPort = FreePort();
    private Process? epmd;

    public ServerEndpoints Endpoints => new(
        $"Host=127.0.0.1;Port={pgPort};Username=postgres;Database=postgres",
        new Uri($"amqp://guest:guest@127.0.0.1:{amqpPort}/"),
        new Uri($"http://guest:guest@127.0.0.1:{managementPort}/"));

    public int AmqpPort => amqpPort;

    private string PgData => Path.Combine(root, "pg");

    private string RabbitDir => Path.Combine(root, "rabbit");

    private string NodeName => $"chaos-{pgPort}@localhost";

    public static async Task<OwnServers> StartAsync()
    {
        var servers = new OwnServers();
        Directory.CreateDirectory(servers.root);
        await servers.InitPostgresAsync();
        await servers.StartPostgresAsync();
        await servers.StartRabbitAsync();
        return servers;
    }

    private async Task InitPostgresAsync()
    {
        Directory.CreateDirectory(PgData);
        await RunAsync("chown", ["-R", "postgres:postgres", root], optional: true);
        await RunAsPostgresAsync(Path.Combine(PgBin, "initdb"), ["-D", PgData, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]);
        await File.AppendAllTextAsync(Path.Combine(PgData, "postgresql.conf"),
            $"\nlisten_addresses = '127.0.0.1'\nport = {pgPort}\nunix_socket_directories = '{PgData}'\nmax_connections = 300\nfsync = on\n");
    }

    public async Task StartPostgresAsync()
    {
        await RunAsPostgresAsync(Path.Combine(PgBin, "pg_ctl"), ["start", "-D", PgData, "-l", Path.Combine(root, "pg.log"), "-w", "-t", "60", "-s"]);
        await Polling.UntilAsync(async () =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(Endpoints.Postgres);
                await connection.OpenAsync();
                return true;
            }
            catch (NpgsqlException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60));
    }

    /// <summary><c>pg_ctl stop -m immediate</c>: every backend dies at once, no checkpoint, recovery on the next start.</summary>
    public Task StopPostgresImmediatelyAsync() =>
        RunAsPostgresAsync(Path.Combine(PgBin, "pg_ctl"), ["stop", "-D", PgData, "-m", "immediate", "-w", "-t", "60", "-s"]);

    private Dictionary<string, string> RabbitEnvironment() => new()
    {
        ["RABBITMQ_NODENAME"] = NodeName,
        ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
        ["RABBITMQ_NODE_PORT"] = amqpPort.ToString(),
        ["RABBITMQ_DIST_PORT"] = distPort.ToString(),
        ["RABBITMQ_MNESIA_BASE"] = Path.Combine(RabbitDir, "mnesia"),
        ["RABBITMQ_LOG_BASE"] = Path.Combine(RabbitDir, "log"),
        ["RABBITMQ_LOGS"] = "-",
        ["RABBITMQ_PID_FILE"] = Path.Combine(RabbitDir, "rabbitmq.pid"),
        ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(RabbitDir, "enabled_plugins"),
        ["RABBITMQ_CONFIG_FILE"] = Path.Combine(RabbitDir, "rabbitmq.conf"),
        ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(RabbitDir, "advanced.config"),
        ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(RabbitDir, "rabbitmq-env.conf"),
        ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false",
        ["RABBITMQ_CTL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false",
        ["ERL_EPMD_PORT"] = epmdPort.ToString(),
        ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
        ["HOME"] = Path.Combine(RabbitDir, "home"),
    };

    public async Task StartRabbitAsync()
    {
        foreach (var folder in new[] { "mnesia", "log", "home" })
        {
            Directory.CreateDirectory(Path.Combine(RabbitDir, folder));
        }

        await File.WriteAllTextAsync(Path.Combine(RabbitDir, "rabbitmq.conf"),
            $"management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = {managementPort}\nloopback_users.guest = true\n");
        await File.WriteAllTextAsync(Path.Combine(RabbitDir, "advanced.config"), "[].\n");
        await File.WriteAllTextAsync(Path.Combine(RabbitDir, "rabbitmq-env.conf"), "# empty\n");
        await File.WriteAllTextAsync(Path.Combine(RabbitDir, "enabled_plugins"), "[rabbitmq_management].\n");
        var cookie = Path.Combine(RabbitDir, "home", ".erlang.cookie");
        if (!File.Exists(cookie))
        {
            await File.WriteAllTextAsync(cookie, new string(Enumerable.Range(0, 32).Select(_ => (char)('A' + Random.Shared.Next(26))).ToArray()));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(cookie, UnixFileMode.UserRead);
            }
        }

        await RunAsync("chown", ["-R", "rabbitmq:rabbitmq", RabbitDir], optional: true);
        if (epmd is null || epmd.HasExited)
        {
            var epmdBin = Directory.GetFiles("/usr/lib/erlang", "epmd", SearchOption.AllDirectories).First();
            epmd = Start(epmdBin, ["-address", "127.0.0.1", "-port", epmdPort.ToString()], RabbitEnvironment(), asUser: "rabbitmq");
        }

        Start(Path.Combine(RabbitBin, "rabbitmq-server"), [], RabbitEnvironment(), asUser: "rabbitmq");
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
        await Polling.UntilAsync(async () =>
        {
            try
            {
                return (await http.GetAsync($"http://127.0.0.1:{managementPort}/api/overview")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90));
    }

    /// <summary>SIGKILL of the broker's Erlang VM (beam.smp, whose pid the node writes): no clean shutdown.</summary>
    public void KillRabbit()
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(RabbitDir, "rabbitmq.pid")).Trim());
        Process.GetProcessById(pid).Kill(entireProcessTree: true);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsPostgresAsync(Path.Combine(PgBin, "pg_ctl"), ["stop", "-D", PgData, "-m", "fast", "-w", "-t", "30", "-s"], optional: true);
        }
        catch (Exception)
        {
            // already stopped
        }

        if (File.Exists(Path.Combine(RabbitDir, "rabbitmq.pid")))
        {
            try
            {
                KillRabbit();
            }
            catch (Exception)
            {
                // already gone
            }
        }

        if (epmd is { HasExited: false })
        {
            epmd.Kill(entireProcessTree: true);
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static Task RunAsPostgresAsync(string program, string[] arguments, bool optional = false) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments], optional) : RunAsync(program, arguments, optional);

    private static async Task RunAsync(string program, string[] arguments, bool optional = false)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && !optional)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await errors}");
        }
    }

    private static Process Start(string program, string[] arguments, Dictionary<string, string> environment, string asUser)
    {
        var start = IsRoot
            ? new ProcessStartInfo("runuser", ["-p", "-u", asUser, "--", program, .. arguments])
            : new ProcessStartInfo(program, arguments);
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
