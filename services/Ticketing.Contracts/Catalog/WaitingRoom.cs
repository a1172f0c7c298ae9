namespace Ticketing.Contracts.Catalog;

/// <summary>
/// A drop's waiting room as the Catalog publishes it with the concert or product: fans may join from
/// <c>OpensAt</c>; from the sale's opening they are let in at <c>AdmissionsPerMinute</c>, never more than
/// <c>MaxActive</c> (when set) admitted at once, each with an admission pass valid <c>PassMinutes</c>.
/// </summary>
public sealed record WaitingRoom(DateTimeOffset OpensAt, int AdmissionsPerMinute, int? MaxActive, int PassMinutes);
