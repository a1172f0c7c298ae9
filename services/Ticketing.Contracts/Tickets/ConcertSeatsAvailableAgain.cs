namespace Ticketing.Contracts.Tickets;

/// <summary>A concert with a waiting room that was sold out has seats to hold again.</summary>
public sealed record ConcertSeatsAvailableAgain(Guid ConcertId, int Available, DateTimeOffset At);
