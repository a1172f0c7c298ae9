using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Holds;

/// <summary>Either specific seats, or a quantity of the best available seats of a tier.</summary>
public sealed record HoldRequest(IReadOnlyList<string?>? SeatIds, string? Tier, int? Quantity);

/// <summary>A validated hold request.</summary>
public sealed record HoldSelection(IReadOnlyList<string>? SeatIds, string? Tier, int? Quantity);

public static class HoldValidation
{
    public const int MaxSeatsPerRequest = 10;

    /// <summary>The selection, or errors per field for a 400.</summary>
    public static (HoldSelection? Selection, Dictionary<string, string[]> Errors) Validate(HoldRequest? request, SeatLayout layout)
    {
        var errors = new Dictionary<string, string[]>();
        if (request is null)
        {
            errors["body"] = ["Send either seatIds, or tier and quantity."];
            return (null, errors);
        }

        var bySeats = request.SeatIds is not null;
        var byTier = request.Tier is not null || request.Quantity is not null;
        if (bySeats == byTier)
        {
            errors["body"] = ["Send either seatIds, or tier and quantity, not both."];
            return (null, errors);
        }

        if (bySeats)
        {
            var seatIds = request.SeatIds!;
            if (seatIds.Count is 0 or > MaxSeatsPerRequest)
            {
                errors["seatIds"] = [$"Pick between 1 and {MaxSeatsPerRequest} seats."];
            }
            else if (seatIds.Any(string.IsNullOrWhiteSpace))
            {
                errors["seatIds"] = ["Seat ids cannot be empty."];
            }
            else if (seatIds.Distinct(StringComparer.OrdinalIgnoreCase).Count() != seatIds.Count)
            {
                errors["seatIds"] = ["A seat is listed twice."];
            }
            else if (seatIds.Where(id => !layout.IndexOf.ContainsKey(id!.ToUpperInvariant())).ToList() is { Count: > 0 } unknown)
            {
                errors["seatIds"] = [$"No such seat: {string.Join(", ", unknown.Take(5))}."];
            }

            return errors.Count > 0 ? (null, errors) : (new HoldSelection(seatIds.Select(id => id!.ToUpperInvariant()).ToList(), null, null), errors);
        }

        var tier = request.Tier?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(tier))
        {
            errors["tier"] = ["Required with quantity."];
        }
        else if (!layout.Tiers.ContainsKey(tier))
        {
            errors["tier"] = [$"No tier {tier} at this concert; it has {string.Join(", ", layout.Tiers.Keys)}."];
        }

        if (request.Quantity is not { } quantity)
        {
            errors["quantity"] = ["Required with tier."];
        }
        else if (quantity is < 1 or > MaxSeatsPerRequest)
        {
            errors["quantity"] = [$"Must be between 1 and {MaxSeatsPerRequest}."];
        }

        return errors.Count > 0 ? (null, errors) : (new HoldSelection(null, tier, request.Quantity), errors);
    }
}
