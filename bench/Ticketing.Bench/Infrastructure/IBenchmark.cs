namespace Ticketing.Bench.Infrastructure;

/// <summary>One benchmark of the program, chosen by the first argument (<c>stock</c>, …).</summary>
public interface IBenchmark
{
    /// <summary>The first argument that selects it.</summary>
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
