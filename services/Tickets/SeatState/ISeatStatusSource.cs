namespace Ticketing.Tickets.SeatState;

/// <summary>
/// Every seat of a concert with its status, in the layout's order (<see cref="SeatLayout"/>: one
/// <see cref="SeatCodes"/> byte per seat), and a version that grows with every change of any seat. The caller owns
/// <see cref="Codes"/>: a source hands out a copy, never an array it keeps changing. <see cref="SalesStopped"/>: the
/// concert was called off.
/// </summary>
public sealed record SeatStatuses(long Version, byte[] Codes, bool SalesStopped);

/// <summary>
/// The one seam between whatever decides seats (the write side) and the public seat state: the feed asks it for the
/// statuses of a concert's seats, at most every few hundred milliseconds while someone reads or listens, and
/// computes the state, the versions and the deltas from consecutive answers. Nothing else of the write side is read.
/// </summary>
public interface ISeatStatusSource
{
    /// <summary>The concert's seats as they are now; null when this instance has no seats for the concert.</summary>
    Task<SeatStatuses?> ReadAsync(SeatLayout layout, CancellationToken cancellationToken);
}
