using System.Diagnostics;
using System.Net.Sockets;
using System.Reflection;

namespace Ticketing.Testing;

/// <summary>
/// One instance of a service as a real operating-system process: <c>dotnet {Service}.dll</c> from the service's own
/// build output, its settings as environment variables, listening on a free loopback port. <see cref="Kill"/> is a
/// SIGKILL: no shutdown hooks run, the broker and the database see the connections drop, as when a node dies.
/// </summary>
public sealed class ProcessHost : IAsyncDisposable
{
    private const int LogLines = 400;

    private readonly Process process;
    private readonly ConcurrentQueue<string> log = new();

    private ProcessHost(string name, Process process, Uri address)
    {
        Name = name;
        this.process = process;
        Address = address;
    }

    /// <summary>A name for messages and for the instance's database connections (its <c>application_name</c>).</summary>
    public string Name { get; }

    public Uri Address { get; }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>
    /// Starts <paramref name="project"/> (e.g. <c>services/Orders/Ticketing.Orders.csproj</c>, relative to the repository
    /// root) built in the same configuration as the tests, and waits until its <c>/health/ready</c> answers 200.
    /// </summary>
    public static async Task<ProcessHost> StartAsync(
        string name, string project, IReadOnlyDictionary<string, string?> settings, TimeSpan? readyTimeout = null)
    {
        var dll = BuiltDll(project);
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        var host = new ProcessHost(name, process, address);
        process.OutputDataReceived += (_, line) => host.Record(line.Data);
        process.ErrorDataReceived += (_, line) => host.Record(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitUntilReadyAsync(readyTimeout ?? PlatformFixture.ReadyTimeout);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>SIGKILL, at once; returns when the process is gone.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    /// <summary>The last lines the process wrote, for failure messages.</summary>
    public string LogTail(int lines = 40) => string.Join('\n', log.TakeLast(lines));

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        log.Enqueue(line);
        while (log.Count > LogLines && log.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} during start-up:\n{LogTail()}");
            }

            try
            {
                using var response = await client.GetAsync("health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                last = exception.Message;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"{Name} was not ready after {timeout} ({last}):\n{LogTail()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // A polite stop first (SIGTERM: the host drains), a kill if it takes too long.
            using (var terminate = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString()]) { UseShellExecute = false }))
            {
                await (terminate?.WaitForExitAsync() ?? Task.CompletedTask);
            }

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }

        process.Dispose();
    }

    /// <summary>The service's dll in its own build output (<c>bin/{Configuration}/{tfm}</c>), built with the solution.</summary>
    public static string BuiltDll(string project)
    {
        var root = RepositoryRoot();
        var projectDirectory = Path.Combine(root, Path.GetDirectoryName(project)!);
        var configuration = typeof(ProcessHost).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name; // e.g. net10.0
        var dll = Path.Combine(projectDirectory, "bin", configuration, framework, Path.GetFileNameWithoutExtension(project) + ".dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"{dll} is not built; build the solution in {configuration} first (./ticketing test does).", dll);
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ticketing.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Ticketing.sln above {AppContext.BaseDirectory}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
