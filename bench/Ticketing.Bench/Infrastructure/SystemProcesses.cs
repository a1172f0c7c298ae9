using System.Text.RegularExpressions;

namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// The processes of the system that <c>./ticketing up -d</c> started from this checkout, as
/// <see cref="ProcessGroup"/>s for <see cref="CpuMeter"/>: each service by its dll under this checkout, PostgreSQL
/// backends by the database they serve (children of this checkout's server only), the rest of that server, its
/// RabbitMQ node, and the benchmark. Other checkouts' systems on the same box run the same dlls and databases:
/// they count as "everything else". A process counts for the first group it matches, so narrower groups come first.
/// </summary>
public static partial class SystemProcesses
{
    public const string Bench = "bench";
    public const string RabbitMq = "RabbitMQ";
    public const string PostgresRest = "PostgreSQL, rest";

    /// <summary>A command-line argument that marks a process the benchmark started itself (see <see cref="Started"/>).</summary>
    public const string StartedMarker = "--Bench:Process=";

    /// <summary>The checkout: the folder that holds the <c>ticketing</c> script, above the benchmark's binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Where <c>./ticketing</c> keeps its servers' data (<c>TICKETING_STATE_DIR</c>, or <c>.ticketing</c>).</summary>
    public static string StateDirectory { get; } =
        Environment.GetEnvironmentVariable("TICKETING_STATE_DIR") is { Length: > 0 } state ? Path.GetFullPath(state) : Path.Combine(Root, ".ticketing");

    public static ProcessGroup TheBench() => new(Bench, (pid, _) => pid == Environment.ProcessId);

    /// <summary>A service by its name: <c>Gateway</c>, <c>Catalog</c>, <c>Orders</c>, <c>Tickets</c>, <c>Insights</c>.</summary>
    public static ProcessGroup Service(string name) => Services(name, name);

    /// <summary>Several services counted together.</summary>
    public static ProcessGroup Services(string groupName, params string[] names) =>
        new(groupName, (_, commandLine) => commandLine.Contains(Root + "/", StringComparison.Ordinal)
            && !commandLine.Contains(StartedMarker, StringComparison.Ordinal)
            && names.Any(name => commandLine.Contains($"Ticketing.{name}.dll", StringComparison.Ordinal)));

    /// <summary>A process the benchmark started with the argument <c>{StartedMarker}{name}</c> (a name without spaces).</summary>
    public static ProcessGroup Started(string name) =>
        new(name, (_, commandLine) => commandLine.Split(' ').Contains(StartedMarker + name, StringComparer.Ordinal));

    public static string BackendsOf(string database) => "PostgreSQL " + database;

    public static ProcessGroup PostgresBackends(string database) =>
        new(BackendsOf(database), (pid, commandLine) => commandLine.StartsWith("postgres: ", StringComparison.Ordinal)
            && commandLine.Contains($" {database} ", StringComparison.Ordinal) && ParentPid(pid) == Postmaster());

    public static ProcessGroup OtherPostgres() => new(PostgresRest, (pid, _) => Postmaster() is { } postmaster && (pid == postmaster || ParentPid(pid) == postmaster));

    public static ProcessGroup Broker() => new(RabbitMq, (_, commandLine) =>
        commandLine.Contains("beam.smp", StringComparison.Ordinal) && commandLine.Contains(StateDirectory + "/", StringComparison.Ordinal));

    /// <summary>
    /// Every part of the running system: the benchmark, the processes it started (<paramref name="started"/>), each
    /// service running from this checkout (found now), each of <paramref name="databases"/>' backends, the rest of
    /// PostgreSQL, RabbitMQ.
    /// </summary>
    public static IReadOnlyList<ProcessGroup> Platform(IEnumerable<string> databases, IEnumerable<string> started) =>
    [
        TheBench(),
        .. started.Select(Started),
        .. RunningServices().Select(Service),
        .. databases.Select(PostgresBackends),
        OtherPostgres(),
        Broker(),
    ];

    /// <summary>The names of the services (<c>Ticketing.{name}.dll</c>) running from this checkout.</summary>
    public static IReadOnlyList<string> RunningServices() =>
        CommandLines()
            .Where(commandLine => commandLine.Contains(Root + "/", StringComparison.Ordinal) && !commandLine.Contains(StartedMarker, StringComparison.Ordinal))
            .Select(commandLine => ServiceDll().Match(commandLine))
            .Where(match => match.Success && !match.Groups[1].Value.StartsWith("Bench", StringComparison.Ordinal))
            .Select(match => match.Groups[1].Value)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Every process's command line (arguments joined by spaces).</summary>
    public static IEnumerable<string> CommandLines() => Processes().Select(process => process.CommandLine);

    /// <summary>The processes of <paramref name="group"/> alive now.</summary>
    public static IReadOnlyList<int> Pids(ProcessGroup group) =>
        Processes().Where(process => group.Matches(process.Pid, process.CommandLine)).Select(process => process.Pid).ToList();

    private static IEnumerable<(int Pid, string CommandLine)> Processes()
    {
        foreach (var directory in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && CommandLine(pid) is { } commandLine)
            {
                yield return (pid, commandLine);
            }
        }
    }

    public static string? CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null; // ended meanwhile, or not ours to read
        }
    }

    private static int? ParentPid(int pid)
    {
        try
        {
            // "pid (comm) state ppid …": comm may hold spaces, so count fields after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The pid of this checkout's PostgreSQL server, from its <c>postmaster.pid</c>.</summary>
    private static int? Postmaster()
    {
        try
        {
            return int.Parse(File.ReadLines(Path.Combine(StateDirectory, "postgres", "postmaster.pid")).First());
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ticketing")) && Directory.Exists(Path.Combine(directory.FullName, "bench")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    [GeneratedRegex(@"/Ticketing\.([A-Za-z.]+)\.dll")]
    private static partial Regex ServiceDll();
}
