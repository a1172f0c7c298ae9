using System.Globalization;
using Ticketing.Bench.Holds;
using Ticketing.Bench.Infrastructure;
using Ticketing.Bench.MerchDrop;
using Ticketing.Bench.Queue;
using Ticketing.Bench.Stock;

// Benchmarks of the running system. Usage: Ticketing.Bench <benchmark> [--name value ...]
// Exit codes: 0 passed, 1 a correctness check FAILED, 2 wrong command line, 3 could not run to the end.

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

IBenchmark[] benchmarks = [new StockBenchmark(), new HoldsBenchmark(), new OrdersBenchmark(), new QueueBenchmark()];
var output = Console.Out;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    PrintUsage(output);
    return args.Length == 0 ? 2 : 0;
}

var benchmark = benchmarks.FirstOrDefault(candidate => candidate.Name == args[0]);
if (benchmark is null)
{
    Console.Error.WriteLine($"Unknown benchmark '{args[0]}'.");
    PrintUsage(Console.Error);
    return 2;
}

BenchOptions options;
IBenchmarkRun run;
int maxMinutes;
try
{
    options = BenchOptions.Parse(args.Skip(1));
    run = benchmark.Configure(options);
    maxMinutes = MaxMinutes(options);
    options.RejectUnknown();
}
catch (UsageException exception)
{
    Console.Error.WriteLine(exception.Message);
    PrintUsage(Console.Error);
    return 2;
}

using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(maxMinutes));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop cleanly: the bus closes its temporary queues
    cancellation.Cancel();
};

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
    return passed ? 0 : 1;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine($"RESULT: stopped (interrupted, or over --max-minutes {maxMinutes}).");
    return 3;
}
catch (Exception exception) when (exception is TimeoutException or OperationCanceledException or HttpRequestException
    or InvalidOperationException or Npgsql.NpgsqlException or MassTransit.MassTransitException)
{
    Console.Error.WriteLine($"RESULT: could not run to the end: {exception.GetType().Name}: {exception.Message}");
    return 3;
}

void PrintUsage(TextWriter writer)
{
    writer.WriteLine("Usage: dotnet run -c Release --project bench/Ticketing.Bench -- <benchmark> [--name value ...]");
    writer.WriteLine("Runs against the system started by ./ticketing up -d. Results and method: docs/BENCHMARKS.md.");
    foreach (var candidate in benchmarks)
    {
        var defaults = BenchOptions.Parse([]);
        candidate.Configure(defaults);
        MaxMinutes(defaults);
        writer.WriteLine();
        writer.WriteLine($"  {candidate.Name}: {candidate.Title}");
        foreach (var line in defaults.Describe())
        {
            writer.WriteLine($"      {line}");
        }
    }
}

static int MaxMinutes(BenchOptions options) =>
    options.Int("max-minutes", 15, 1, 24 * 60, "stop the run (exit 3) after this many minutes, whatever it is doing");
