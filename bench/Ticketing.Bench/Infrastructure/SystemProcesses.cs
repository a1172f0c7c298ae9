namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// The processes of the system as <c>./ticketing up -d</c> runs them, as <see cref="ProcessGroup"/>s for
/// <see cref="CpuMeter"/>: each service by its dll, PostgreSQL backends by the database they serve
/// (<c>postgres: user database host state</c>), the rest of PostgreSQL, RabbitMQ's Erlang VM, and the benchmark.
/// A process counts for the first group it matches, so list the narrower groups first.
/// </summary>
public static class SystemProcesses
{
    public const string Bench = "bench";
    public const string RabbitMq = "RabbitMQ";
    public const string PostgresRest = "PostgreSQL, rest";

    public static ProcessGroup TheBench() => new(Bench, (pid, _) => pid == Environment.ProcessId);

    /// <summary>A service by its name: <c>Gateway</c>, <c>Catalog</c>, <c>Orders</c>, <c>Tickets</c>.</summary>
    public static ProcessGroup Service(string name) =>
        new(name, (_, commandLine) => commandLine.Contains($"Ticketing.{name}.dll", StringComparison.Ordinal));

    /// <summary>Several services counted together, e.g. the ones a benchmark does not exercise.</summary>
    public static ProcessGroup Services(string groupName, params string[] names) =>
        new(groupName, (_, commandLine) => names.Any(name => commandLine.Contains($"Ticketing.{name}.dll", StringComparison.Ordinal)));

    public static string BackendsOf(string database) => "PostgreSQL backends of " + database;

    public static ProcessGroup PostgresBackends(string database) =>
        new(BackendsOf(database), (_, commandLine) => commandLine.StartsWith("postgres: ", StringComparison.Ordinal)
            && commandLine.Contains($" {database} ", StringComparison.Ordinal));

    public static ProcessGroup OtherPostgres() =>
        new(PostgresRest, (_, commandLine) => commandLine.StartsWith("postgres", StringComparison.Ordinal)
            || commandLine.Contains("/bin/postgres ", StringComparison.Ordinal));

    public static ProcessGroup Broker() => new(RabbitMq, (_, commandLine) => commandLine.Contains("beam.smp", StringComparison.Ordinal));
}
