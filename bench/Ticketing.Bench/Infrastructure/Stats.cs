using System.Globalization;

namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// Percentiles of raw samples (nearest rank on the sorted array: p99 of 2,000 samples is the 1,980th smallest),
/// never of averages.
/// </summary>
public sealed class Stats
{
    private readonly double[] sorted;

    public Stats(IEnumerable<double> samples)
    {
        sorted = samples.ToArray();
        Array.Sort(sorted);
    }

    public int Count => sorted.Length;
    public double P50 => Percentile(50);
    public double P95 => Percentile(95);
    public double P99 => Percentile(99);
    public double Max => Count == 0 ? double.NaN : sorted[^1];

    public double Percentile(double percent)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percent / 100 * Count);
        return sorted[Math.Clamp(rank, 1, Count) - 1];
    }

    /// <summary>"p50 12.3 ms, p95 …, p99 …, max … (n=2000)" for samples in milliseconds.</summary>
    public string Milliseconds() => Count == 0
        ? "no samples"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {P50:F1} ms, p95 {P95:F1} ms, p99 {P99:F1} ms, max {Max:F1} ms (n={Count})");

    /// <summary>"p50 12 / p95 … / p99 … / max … ms" for samples in milliseconds, as the summary tables show them.</summary>
    public string Percentiles() => Count == 0
        ? "no samples"
        : string.Create(CultureInfo.InvariantCulture, $"p50 {P50:F0} / p95 {P95:F0} / p99 {P99:F0} / max {Max:F0} ms");

    /// <summary>Events per second: <paramref name="count"/> over <paramref name="elapsed"/>; 0 when nothing elapsed.</summary>
    public static double Rate(int count, TimeSpan elapsed) => elapsed > TimeSpan.Zero ? count / elapsed.TotalSeconds : 0;
}
