namespace Ticketing.Tickets.Holds;

/// <summary>Section <c>Tickets:Holds</c>.</summary>
public sealed class HoldOptions
{
    /// <summary>How long seats stay held for a fan to pay: 7 minutes, as Korean ticketing sites give.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(7);

    /// <summary>How often the expiry runner looks for holds past their time.</summary>
    public TimeSpan ExpiryScanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most commands of one concert decided and committed together by its seat ledger writer.</summary>
    public int MaxBatch { get; set; } = 256;
}
