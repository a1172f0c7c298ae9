using System.Buffers.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Npgsql;
using NpgsqlTypes;

namespace Ticketing.Bench.Reference;

public sealed record ReferenceHoldRequest(string? Tier, int? Quantity);

public sealed record ReferenceHoldResponse(Guid HoldId, Guid ConcertId, IReadOnlyList<string> SeatIds);

/// <summary>
/// Holds the best available seats of a tier with one statement: the best free rows not locked by another request
/// (<c>FOR UPDATE SKIP LOCKED</c>) are updated only if there are as many as asked, so a hold is all or nothing.
/// The gateway in front checks the fan's token (route policy <c>fan</c>); this endpoint reads the fan from it
/// without checking it again.
/// </summary>
public static class ReferenceHolds
{
    private const int MaxQuantity = 10;

    public static async Task<IResult> PlaceHold(
        Guid concertId, ReferenceHoldRequest? request, HttpContext context, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        if (FanOf(context.Request.Headers.Authorization) is not { } fanId)
        {
            return TypedResults.Problem(title: "Sign in first", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (request is not { Tier.Length: > 0, Quantity: >= 1 and <= MaxQuantity })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"Send a tier and a quantity of 1 to {MaxQuantity}."] });
        }

        var holdId = Guid.CreateVersion7();
        await using var hold = database.CreateCommand(ReferenceSeats.HoldBest);
        hold.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = concertId });
        hold.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Tier.ToUpperInvariant() });
        hold.Parameters.Add(new NpgsqlParameter<int> { TypedValue = request.Quantity.Value });
        hold.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = holdId });
        hold.Parameters.Add(new NpgsqlParameter<string> { TypedValue = fanId, NpgsqlDbType = NpgsqlDbType.Text });
        var seatIds = new List<string>(request.Quantity.Value);
        await using (var reader = await hold.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                seatIds.Add(reader.GetString(0));
            }
        }

        return seatIds.Count == request.Quantity
            ? TypedResults.Created($"/api/bench-reference/holds/{holdId}", new ReferenceHoldResponse(holdId, concertId, seatIds))
            : TypedResults.Problem(title: "Not enough seats left", statusCode: StatusCodes.Status409Conflict);
    }

    /// <summary>The <c>sub</c> claim of a bearer token's payload, or null.</summary>
    private static string? FanOf(StringValues authorization)
    {
        var value = authorization.ToString();
        var parts = value.StartsWith("Bearer ", StringComparison.Ordinal) ? value[7..].Split('.') : [];
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return payload.RootElement.TryGetProperty("sub", out var sub) ? sub.GetString() : null;
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return null;
        }
    }
}
