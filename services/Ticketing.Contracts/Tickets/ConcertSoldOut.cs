namespace Ticketing.Contracts.Tickets;

/// <summary>
/// A concert with a waiting room has no seat left to hold (every seat held or sold). Held seats may come back
/// (expired or released holds, cancelled orders): then <see cref="ConcertSeatsAvailableAgain"/> follows.
/// </summary>
public sealed record ConcertSoldOut(Guid ConcertId, DateTimeOffset SoldOutAt);
