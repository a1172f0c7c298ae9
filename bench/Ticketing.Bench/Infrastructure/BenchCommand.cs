using System.CommandLine;

namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// The program's command line: one command per benchmark, with its options and <c>--max-minutes</c>. Running one
/// prints the command, the options in force and the machine, runs it, and returns the exit code: 0 passed, 1 a
/// correctness check failed (the figures do not count), 2 wrong command line, 3 could not run to the end.
/// </summary>
public static class BenchCommand
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Incomplete = 3;

    public static async Task<int> RunAsync(IReadOnlyList<IBenchmark> benchmarks, string[] args)
    {
        var root = new RootCommand("Benchmarks of the system started by ./ticketing up -d. Method and results: docs/BENCHMARKS.md.");
        foreach (var benchmark in benchmarks)
        {
            var command = new Command(benchmark.Name, benchmark.Title);
            benchmark.Configure(BenchOptions.Declaring(command));
            MaxMinutes(BenchOptions.Declaring(command));
            command.SetAction((parsed, cancellationToken) => RunAsync(benchmark, command, parsed, args, cancellationToken));
            root.Subcommands.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            await Console.Error.WriteLineAsync("See --help.");
            return Usage;
        }

        return await parsed.InvokeAsync();
    }

    private static async Task<int> RunAsync(IBenchmark benchmark, Command command, ParseResult parsed, string[] args, CancellationToken interrupted)
    {
        var options = BenchOptions.Reading(command, parsed);
        IBenchmarkRun run;
        int maxMinutes;
        try
        {
            run = benchmark.Configure(options);
            maxMinutes = MaxMinutes(options);
        }
        catch (UsageException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return Usage;
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
        cancellation.CancelAfter(TimeSpan.FromMinutes(maxMinutes));
        var output = Console.Out;
        output.WriteLine($"# {benchmark.Name}: {benchmark.Title}");
        output.WriteLine($"  command      Ticketing.Bench {string.Join(' ', args)}");
        output.WriteLine("  parameters (given or default):");
        options.Print(output);
        try
        {
            await RunInfo.PrintAsync(output, cancellation.Token);
            var passed = await run.RunAsync(output, cancellation.Token);
            output.WriteLine();
            output.WriteLine(passed ? "RESULT: passed (all correctness checks ok)" : "RESULT: FAILED (a correctness check failed; the figures above do not count)");
            return passed ? Passed : Failed;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"RESULT: stopped (interrupted, or over --max-minutes {maxMinutes}).");
            return Incomplete;
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException or HttpRequestException
            or InvalidOperationException or Npgsql.NpgsqlException or MassTransit.MassTransitException)
        {
            await Console.Error.WriteLineAsync($"RESULT: could not run to the end: {exception.GetType().Name}: {exception.Message}");
            return Incomplete;
        }
    }

    private static int MaxMinutes(BenchOptions options) =>
        options.Int("max-minutes", 15, 1, 24 * 60, "stop the run (exit 3) after this many minutes, whatever it is doing");
}
