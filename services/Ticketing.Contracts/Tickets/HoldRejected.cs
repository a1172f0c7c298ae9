namespace Ticketing.Contracts.Tickets;

/// <summary>The hold cannot be checked out; <c>Reason</c> is one of <see cref="HoldRejectionReasons"/>.</summary>
public sealed record HoldRejected(Guid OrderId, Guid HoldId, string FanId, string Reason, DateTimeOffset RejectedAt);

public static class HoldRejectionReasons
{
    public const string Expired = "expired";
    public const string NotYours = "not_yours";
    public const string Unknown = "unknown";
    public const string AlreadyCheckedOut = "already_checked_out";
    public const string SalesStopped = "sales_stopped";
}
