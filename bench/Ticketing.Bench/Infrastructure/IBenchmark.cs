namespace Ticketing.Bench.Infrastructure;

/// <summary>One benchmark of the program, run by its command (<c>holds</c>, …).</summary>
public interface IBenchmark
{
    /// <summary>The command that runs it.</summary>
    string Name { get; }

    /// <summary>What it measures, in one line.</summary>
    string Title { get; }

    /// <summary>Reads the benchmark's options (throws <see cref="UsageException"/>) and returns the run they describe.</summary>
    IBenchmarkRun Configure(BenchOptions options);
}

public interface IBenchmarkRun
{
    /// <summary>Runs the benchmark and prints its results; false when a correctness check failed.</summary>
    Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken);
}

/// <summary>A benchmark made of its name, its title and how its options make a run.</summary>
public sealed record Benchmark(string Name, string Title, Func<BenchOptions, IBenchmarkRun> Create) : IBenchmark
{
    public IBenchmarkRun Configure(BenchOptions options) => Create(options);
}
