namespace Ticketing.Queue.Admission;

/// <summary>
/// How many fans may be let in, as pure functions of the admission bucket and the time. The bucket fills at the
/// configured rate (admissions per minute) up to one second's worth (at least one fan), so over any stretch with fans
/// waiting exactly <c>rate × time</c> are admitted, however often the runner looks, and a runner that was away
/// (a fail-over) catches up at most one second's worth at once, not a burst of everything it missed.
/// </summary>
public static class AdmissionDecisions
{
    /// <summary>How much the bucket may hold: one second of admissions, and never less than one fan.</summary>
    public static double Capacity(int admissionsPerMinute) => Math.Max(1.0, admissionsPerMinute / 60.0);

    /// <summary>The bucket at <paramref name="now"/>, given what it held at <paramref name="at"/>.</summary>
    public static double TokensAt(double tokens, DateTimeOffset at, DateTimeOffset now, int admissionsPerMinute)
    {
        var elapsed = Math.Max(0, (now - at).TotalSeconds);
        return Math.Min(Capacity(admissionsPerMinute), tokens + elapsed * admissionsPerMinute / 60.0);
    }

    /// <summary>
    /// How many of the <paramref name="waiting"/> fans to let in now: whole tokens only, never past
    /// <paramref name="maxActive"/> admitted fans who have not finished.
    /// </summary>
    public static int HowMany(double tokens, int waiting, int active, int? maxActive)
    {
        var count = (int)Math.Floor(tokens + 1e-9);
        if (maxActive is { } max)
        {
            count = Math.Min(count, max - active);
        }

        return Math.Max(0, Math.Min(count, waiting));
    }

    /// <summary>The measured admission rate (per minute) from admissions in the window, or null when too little was seen to say.</summary>
    public static double? MeasuredPerMinute(int admittedInWindow, TimeSpan window) =>
        window >= TimeSpan.FromSeconds(5) && admittedInWindow > 0 ? admittedInWindow / window.TotalMinutes : null;
}
