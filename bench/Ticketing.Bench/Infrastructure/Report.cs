using System.Diagnostics;
using System.Globalization;

namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// The one writer of a benchmark's output: sections and lines as the run goes, its correctness <see cref="Checks"/>,
/// the cost of a phase per operation, and at the end the summary table of the figures (one column per system
/// measured, e.g. the platform and its reference) with the outcome of the checks.
/// </summary>
public sealed class Report(TextWriter output, params string[] columns)
{
    private readonly List<(string Figure, string[] Values)> figures = [];

    public TextWriter Output => output;

    public Checks Checks { get; } = new(output);

    public void Section(string title)
    {
        output.WriteLine();
        output.WriteLine($"== {title} ==");
    }

    public void Line(string text) => output.WriteLine("  " + text);

    /// <summary>Prints the line <paramref name="status"/> makes every <paramref name="interval"/>, until disposed: how a long phase goes.</summary>
    public IAsyncDisposable Progress(Func<string> status, TimeSpan interval) => new ProgressLines(this, status, interval);

    /// <summary>A figure of the summary table, one value per column; printed at once too.</summary>
    public void Figure(string figure, params string[] values)
    {
        figures.Add((figure, values));
        output.WriteLine($"  {figure}: {string.Join(" | ", values)}");
    }

    /// <summary>
    /// What a phase cost per <paramref name="unit"/> (hold, order, …): CPU per process, rows per table, messages per
    /// queue; and the check that no message reached an error queue meanwhile.
    /// </summary>
    public void Cost(string unit, int count, PhaseCost cost)
    {
        var per = Math.Max(1, count);
        if (cost.Cpu is { } cpu)
        {
            Cpu(unit, per, cpu);
        }

        var databases = cost.Databases.Where(database => database.RowsWritten * 200 >= per).OrderByDescending(database => database.RowsWritten).Select(database =>
            $"{database.Database} {Per(database.RowsWritten, per)} ({string.Join(", ", database.RowsWrittenByTable.Where(table => table.Value * 200 >= per).OrderByDescending(table => table.Value).Take(4).Select(table => $"{table.Key} {Per(table.Value, per)}"))})");
        Line($"rows written per {unit}: all {Per(cost.RowsWritten, per)}: {string.Join("; ", databases)}");
        Line($"WAL written per {unit}: {cost.WalBytes / 1024.0 / per:F1} KB (the server's, background work included)");
        Line($"transactions per {unit}: {string.Join(", ", cost.Databases.Where(database => (database.Commits + database.Rollbacks) * 200 >= per).Select(database => $"{database.Database} {Per(database.Commits, per)} committed, {Per(database.Rollbacks, per)} rolled back"))}");
        var queues = cost.Messages.DeliveredByQueue.Where(queue => queue.Value * 200 >= per).OrderByDescending(queue => queue.Value).Select(queue => $"{queue.Key} {Per(queue.Value, per)}");
        Line($"messages per {unit}: {Per(cost.Messages.Published, per)} published, {Per(cost.Messages.Delivered, per)} delivered: {string.Join(", ", queues)}");
        Checks.Check(cost.NewErrors.Count == 0, $"no new message in an error queue{(cost.NewErrors.Count > 0 ? ": " + string.Join(", ", cost.NewErrors) : "")}");
    }

    /// <summary>CPU milliseconds per <paramref name="unit"/> of a phase: the system's, the box's, and each process group's.</summary>
    public void Cpu(string unit, int count, CpuUsage cpu)
    {
        var per = Math.Max(1, count);
        var groups = cpu.Groups.Where(group => group.Cores >= 0.005).OrderByDescending(group => group.Cores)
            .Select(group => $"{group.Group} {cpu.MillisecondsPer(group.Group, per):F2}")
            .Append($"everything else {cpu.OtherCores * cpu.Elapsed.TotalMilliseconds / per:F2} (interrupts {cpu.InterruptCores:F2} and steal {cpu.StealCores:F2} of a core)");
        Line($"CPU ms per {unit}: system {cpu.GroupsMillisecondsPer(per):F2}, box {cpu.BoxMillisecondsPer(per):F2} ({cpu.BoxCores:F2} of {cpu.Cores} cores busy for {cpu.Elapsed.TotalSeconds:F1} s): {string.Join(", ", groups)}");
    }

    /// <summary>Prints the summary table and the checks' outcome; true when every check passed.</summary>
    public bool Summary()
    {
        Section("Summary");
        output.WriteLine($"| figure | {string.Join(" | ", columns.Length == 0 ? ["value"] : columns)} |");
        output.WriteLine($"| --- |{string.Concat(Enumerable.Repeat(" --- |", Math.Max(1, columns.Length)))}");
        foreach (var (figure, values) in figures)
        {
            output.WriteLine($"| {figure} | {string.Join(" | ", values)} |");
        }

        output.WriteLine($"| correctness | {(Checks.AllPassed ? "all checks passed" : $"FAILED ({Checks.Failed} checks)")} |");
        return Checks.AllPassed;
    }

    /// <summary>"201 x2998, 409 x2": how often each value came, in order.</summary>
    public static string Tally<T>(IEnumerable<T> values) =>
        string.Join(", ", values.GroupBy(value => value).OrderBy(group => group.Key).Select(group => $"{group.Key} x{group.Count()}"));

    private static string Per(long value, int count) => ((double)value / count).ToString("F2", CultureInfo.InvariantCulture);

    private sealed class ProgressLines : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task printing;

        public ProgressLines(Report report, Func<string> status, TimeSpan interval)
        {
            var started = Stopwatch.GetTimestamp();
            printing = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(interval);
                try
                {
                    while (await timer.WaitForNextTickAsync(stop.Token))
                    {
                        report.Line($"[{Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s] {status()}");
                    }
                }
                catch (OperationCanceledException)
                {
                    // disposed: the phase is over
                }
            });
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await printing;
            stop.Dispose();
        }
    }
}
