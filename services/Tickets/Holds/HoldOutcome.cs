namespace Ticketing.Tickets.Holds;

/// <summary>What became of a hold request; each case has its HTTP answer.</summary>
public abstract record HoldOutcome
{
    public sealed record Placed(Hold Hold) : HoldOutcome;

    public sealed record SeatsTaken(IReadOnlyList<string> SeatIds) : HoldOutcome;

    public sealed record NotEnoughSeats(string Tier, int Quantity) : HoldOutcome;

    public sealed record OverLimit(int Limit, int AlreadyHeld, int Requested) : HoldOutcome;

    public sealed record NotOpenYet(DateTimeOffset OpensAt) : HoldOutcome;

    public sealed record SalesStopped : HoldOutcome;
}
