namespace Ticketing.Bench.Infrastructure;

/// <summary>The correctness checks of a phase, printed as they are made: "ok" or "FAILED" with the figures.</summary>
public sealed class Checks(TextWriter output)
{
    public int Failed { get; private set; }

    public bool AllPassed => Failed == 0;

    public void Check(bool passed, string what)
    {
        Failed += passed ? 0 : 1;
        output.WriteLine($"    {(passed ? "ok    " : "FAILED")}  {what}");
    }
}
