namespace Ticketing.Queue.Tests;

/// <summary>The two tests of randomness the fairness criterion names, written out so the test depends on no library.</summary>
public static class Statistics
{
    /// <summary>Spearman's rank correlation of two rankings of the same items (ranks 0..n-1, no ties).</summary>
    public static double SpearmanRho(IReadOnlyList<int> ranksA, IReadOnlyList<int> ranksB)
    {
        var n = ranksA.Count;
        double sumSquares = 0;
        for (var i = 0; i < n; i++)
        {
            double d = ranksA[i] - ranksB[i];
            sumSquares += d * d;
        }

        return 1 - 6 * sumSquares / ((double)n * ((double)n * n - 1));
    }

    /// <summary>Pearson's chi-square statistic of independence of a contingency table, and its degrees of freedom.</summary>
    public static (double ChiSquare, int DegreesOfFreedom) Independence(int[,] table)
    {
        var rows = table.GetLength(0);
        var columns = table.GetLength(1);
        var rowTotals = new double[rows];
        var columnTotals = new double[columns];
        double total = 0;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                rowTotals[r] += table[r, c];
                columnTotals[c] += table[r, c];
                total += table[r, c];
            }
        }

        double chi = 0;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var expected = rowTotals[r] * columnTotals[c] / total;
                chi += (table[r, c] - expected) * (table[r, c] - expected) / expected;
            }
        }

        return (chi, (rows - 1) * (columns - 1));
    }

    /// <summary>P(X ≥ <paramref name="chiSquare"/>) for X chi-square distributed with <paramref name="degreesOfFreedom"/>.</summary>
    public static double ChiSquarePValue(double chiSquare, int degreesOfFreedom) => UpperRegularizedGamma(degreesOfFreedom / 2.0, chiSquare / 2.0);

    /// <summary>Q(a, x), by its series for x &lt; a + 1 and its continued fraction otherwise (Numerical Recipes, gammq).</summary>
    private static double UpperRegularizedGamma(double a, double x)
    {
        if (x <= 0)
        {
            return 1;
        }

        var logPrefix = -x + a * Math.Log(x) - LogGamma(a);
        if (x < a + 1)
        {
            double sum = 1 / a, term = sum;
            for (var n = 1; n < 10_000; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * 1e-15)
                {
                    break;
                }
            }

            return 1 - sum * Math.Exp(logPrefix);
        }

        const double tiny = 1e-300;
        double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (var i = 1; i < 10_000; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < tiny)
            {
                d = tiny;
            }

            c = b + an / c;
            if (Math.Abs(c) < tiny)
            {
                c = tiny;
            }

            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
            {
                break;
            }
        }

        return Math.Exp(logPrefix) * h;
    }

    /// <summary>ln Γ(x), Lanczos approximation (g = 7, n = 9).</summary>
    private static double LogGamma(double x)
    {
        double[] g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = g[0];
        for (var i = 1; i < 9; i++)
        {
            sum += g[i] / (x + i);
        }

        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
