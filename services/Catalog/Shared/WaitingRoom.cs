namespace Ticketing.Catalog.Shared;

/// <summary>
/// A drop's waiting room, part of a concert's or a product's details: fans may join from <c>OpensAt</c>; from the
/// sale's opening the Queue service lets them in at <c>AdmissionsPerMinute</c>, at most <c>MaxActive</c> admitted
/// fans at once when set, each admission valid for <c>PassMinutes</c>.
/// </summary>
public sealed record WaitingRoom(DateTimeOffset OpensAt, int AdmissionsPerMinute, int? MaxActive, int PassMinutes);

/// <summary>The waiting room as an operator sends it in a concert or product draft.</summary>
public sealed record WaitingRoomRequest(DateTimeOffset? OpensAt, int? AdmissionsPerMinute, int? MaxActive, int? PassMinutes);

public static class WaitingRoomValidation
{
    public const int MaxAdmissionsPerMinute = 1_000_000;
    public const int MaxActiveLimit = 1_000_000;
    public const int DefaultPassMinutes = 10;
    public const int MaxPassMinutes = 60;

    /// <summary>How long before the sale a room may open: long enough for a queue, short enough not to be forgotten.</summary>
    public static readonly TimeSpan MaxLeadTime = TimeSpan.FromDays(7);

    /// <summary>
    /// The waiting room of a draft whose sale opens at <paramref name="saleOpensAt"/>, or null (none asked for, or
    /// errors, which are added under <c>waitingRoom.*</c>).
    /// </summary>
    public static WaitingRoom? Validate(WaitingRoomRequest? request, DateTimeOffset? saleOpensAt, ValidationErrors errors)
    {
        if (request is null)
        {
            return null;
        }

        const string field = "waitingRoom";
        var before = errors.Count;
        if (request.OpensAt is not { } opensAt)
        {
            errors.Add($"{field}.opensAt", "Required: when fans may start joining the queue.");
        }
        else if (saleOpensAt is { } sale && opensAt > sale)
        {
            errors.Add($"{field}.opensAt", "The waiting room must open before (or when) the sale opens: fans who join before the opening get a random place.");
        }
        else if (saleOpensAt is { } opening && opening - opensAt > MaxLeadTime)
        {
            errors.Add($"{field}.opensAt", $"The waiting room may open at most {MaxLeadTime.TotalDays:N0} days before the sale.");
        }

        if (request.AdmissionsPerMinute is not { } rate)
        {
            errors.Add($"{field}.admissionsPerMinute", "Required: how many fans are let in per minute.");
        }
        else
        {
            errors.Range($"{field}.admissionsPerMinute", rate, 1, MaxAdmissionsPerMinute);
        }

        if (request.MaxActive is { } maxActive)
        {
            errors.Range($"{field}.maxActive", maxActive, 1, MaxActiveLimit);
        }

        if (request.PassMinutes is { } passMinutes)
        {
            errors.Range($"{field}.passMinutes", passMinutes, 1, MaxPassMinutes);
        }

        return errors.Count > before
            ? null
            : new WaitingRoom(request.OpensAt!.Value.ToUniversalTime(), request.AdmissionsPerMinute!.Value, request.MaxActive, request.PassMinutes ?? DefaultPassMinutes);
    }
}
