namespace Ticketing.Contracts.Queue;

/// <summary>
/// An operator opened a lucky draw for a product: from now on only the draw's winners may buy it, each with the
/// purchase right (an admission pass for the product, sent as <c>X-Admission-Pass</c>) the Queue gives them.
/// </summary>
public sealed record LuckyDrawOpened(Guid DrawId, Guid ProductId, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, int Winners, DateTimeOffset OpenedAt);
