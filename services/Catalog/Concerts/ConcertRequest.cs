using Ticketing.Catalog.Shared;

namespace Ticketing.Catalog.Concerts;

public sealed record ConcertRequest(
    string? Artist,
    string? Title,
    string? Venue,
    string? City,
    string? TimeZone,
    DateTimeOffset? StartsAt,
    DateTimeOffset? SaleOpensAt,
    int? TicketLimitPerFan,
    IReadOnlyList<PriceTierRequest?>? PriceTiers,
    IReadOnlyList<SectionRequest?>? Sections,
    WaitingRoomRequest? WaitingRoom = null,
    ConcertNamesRequest? Names = null);

/// <summary>Optional names in other languages: each a map of BCP 47 tag to name, e.g. <c>{ "ko": "세븐틴", "en": "SEVENTEEN" }</c>.</summary>
public sealed record ConcertNamesRequest(
    IReadOnlyDictionary<string, string?>? Artist,
    IReadOnlyDictionary<string, string?>? Title,
    IReadOnlyDictionary<string, string?>? Venue,
    IReadOnlyDictionary<string, string?>? City);

public sealed record PriceTierRequest(string? Code, string? Name, decimal? Price, string? Currency);

public sealed record SectionRequest(string? Code, string? Tier, IReadOnlyList<RowRequest?>? Rows);

public sealed record RowRequest(string? Label, int? Seats);

public sealed record CancelConcertRequest(string? Reason);

/// <summary>Checks an operator's concert at the edge; every problem is reported against its field path.</summary>
public static class ConcertValidation
{
    public const int MaxVenueCapacity = 100_000;
    public const int MaxSeatsPerRow = 500;
    public const int MaxTicketLimitPerFan = 10;
    private const int MaxCodeLength = 10;

    public static (ConcertDetails? Details, ValidationErrors Errors) Validate(ConcertRequest? request, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        if (request is null)
        {
            errors.Add("body", "A concert is required.");
            return (null, errors);
        }

        errors.Required("artist", request.Artist);
        errors.Required("title", request.Title);
        errors.Required("venue", request.Venue);
        errors.Required("city", request.City);

        var timeZone = string.IsNullOrWhiteSpace(request.TimeZone) ? "UTC" : request.TimeZone.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            errors.Add("timeZone", "Unknown time zone; use an IANA name such as Asia/Seoul.");
        }

        if (request.StartsAt is not { } startsAt)
        {
            errors.Add("startsAt", "Required.");
        }
        else if (startsAt <= now)
        {
            errors.Add("startsAt", "The concert must start in the future.");
        }

        if (request.SaleOpensAt is not { } saleOpensAt)
        {
            errors.Add("saleOpensAt", "Required.");
        }
        else if (request.StartsAt is { } show && saleOpensAt >= show)
        {
            errors.Add("saleOpensAt", "The sale must open before the concert starts.");
        }

        if (request.TicketLimitPerFan is not { } limit)
        {
            errors.Add("ticketLimitPerFan", "Required.");
        }
        else
        {
            errors.Range("ticketLimitPerFan", limit, 1, MaxTicketLimitPerFan);
        }

        var waitingRoom = WaitingRoomValidation.Validate(request.WaitingRoom, request.SaleOpensAt, errors);
        var names = ValidateNames(request.Names, errors);
        var tiers = ValidateTiers(request.PriceTiers, errors);
        var sections = ValidateSections(request.Sections, tiers, errors);

        if (!errors.IsEmpty)
        {
            return (null, errors);
        }

        return (new ConcertDetails(
            request.Artist!.Trim(),
            request.Title!.Trim(),
            request.Venue!.Trim(),
            request.City!.Trim(),
            timeZone,
            request.StartsAt!.Value.ToUniversalTime(),
            request.SaleOpensAt!.Value.ToUniversalTime(),
            request.TicketLimitPerFan!.Value,
            tiers,
            sections,
            waitingRoom,
            names), errors);
    }

    private static ConcertNames? ValidateNames(ConcertNamesRequest? request, ValidationErrors errors)
    {
        if (request is null)
        {
            return null;
        }

        var names = new ConcertNames(
            LocalizedNames.Validate("names.artist", request.Artist, errors),
            LocalizedNames.Validate("names.title", request.Title, errors),
            LocalizedNames.Validate("names.venue", request.Venue, errors),
            LocalizedNames.Validate("names.city", request.City, errors));
        return names is { Artist: null, Title: null, Venue: null, City: null } ? null : names;
    }

    private static List<PriceTier> ValidateTiers(IReadOnlyList<PriceTierRequest?>? requests, ValidationErrors errors)
    {
        var tiers = new List<PriceTier>();
        if (requests is null || requests.Count == 0)
        {
            errors.Add("priceTiers", "At least one price tier is required.");
            return tiers;
        }

        for (var i = 0; i < requests.Count; i++)
        {
            var field = $"priceTiers[{i}]";
            if (requests[i] is not { } tier)
            {
                errors.Add(field, "Required.");
                continue;
            }

            var code = tier.Code?.Trim().ToUpperInvariant();
            if (!IsCode(code))
            {
                errors.Add($"{field}.code", $"Use 1 to {MaxCodeLength} letters or digits.");
            }
            else if (tiers.Any(t => t.Code == code))
            {
                errors.Add($"{field}.code", $"Tier {code} is listed twice.");
            }

            var currency = tier.Currency?.Trim().ToUpperInvariant();
            if (Money.CurrencyProblem(currency) is { } currencyProblem)
            {
                errors.Add($"{field}.currency", currencyProblem);
            }
            else if (tiers.Count > 0 && tiers[0].Currency != currency)
            {
                errors.Add($"{field}.currency", $"All tiers of a concert use one currency ({tiers[0].Currency}).");
            }

            if (tier.Price is not { } price)
            {
                errors.Add($"{field}.price", "Required.");
            }
            else if (Money.Problem(price, currency) is { } priceProblem)
            {
                errors.Add($"{field}.price", priceProblem);
            }

            if (tier.Name is { Length: > 100 })
            {
                errors.Add($"{field}.name", "At most 100 characters.");
            }

            if (IsCode(code) && tier.Price is { } p && currency is not null)
            {
                tiers.Add(new PriceTier(code!, string.IsNullOrWhiteSpace(tier.Name) ? code! : tier.Name.Trim(), p, currency));
            }
        }

        return tiers;
    }

    private static List<Section> ValidateSections(
        IReadOnlyList<SectionRequest?>? requests,
        IReadOnlyList<PriceTier> tiers,
        ValidationErrors errors)
    {
        var sections = new List<Section>();
        if (requests is null || requests.Count == 0)
        {
            errors.Add("sections", "At least one section is required.");
            return sections;
        }

        var capacity = 0L;
        for (var i = 0; i < requests.Count; i++)
        {
            var field = $"sections[{i}]";
            if (requests[i] is not { } section)
            {
                errors.Add(field, "Required.");
                continue;
            }

            var code = section.Code?.Trim().ToUpperInvariant();
            if (!IsCode(code))
            {
                errors.Add($"{field}.code", $"Use 1 to {MaxCodeLength} letters or digits (seat ids are SECTION-ROW-NUMBER).");
            }
            else if (sections.Any(s => s.Code == code))
            {
                errors.Add($"{field}.code", $"Section {code} is listed twice.");
            }

            var tier = section.Tier?.Trim().ToUpperInvariant();
            if (string.IsNullOrEmpty(tier))
            {
                errors.Add($"{field}.tier", "Required.");
            }
            else if (tiers.All(t => t.Code != tier))
            {
                errors.Add($"{field}.tier", $"Unknown tier {tier}; declare it in priceTiers.");
            }

            var rows = new List<Row>();
            if (section.Rows is null || section.Rows.Count == 0)
            {
                errors.Add($"{field}.rows", "At least one row is required.");
            }
            else
            {
                for (var r = 0; r < section.Rows.Count; r++)
                {
                    var rowField = $"{field}.rows[{r}]";
                    if (section.Rows[r] is not { } row)
                    {
                        errors.Add(rowField, "Required.");
                        continue;
                    }

                    var label = row.Label?.Trim().ToUpperInvariant();
                    if (!IsCode(label))
                    {
                        errors.Add($"{rowField}.label", $"Use 1 to {MaxCodeLength} letters or digits.");
                    }
                    else if (rows.Any(existing => existing.Label == label))
                    {
                        errors.Add($"{rowField}.label", $"Row {label} is listed twice in section {code}.");
                    }

                    if (row.Seats is not { } seats)
                    {
                        errors.Add($"{rowField}.seats", "Required.");
                    }
                    else if (seats is < 1 or > MaxSeatsPerRow)
                    {
                        errors.Add($"{rowField}.seats", $"Must be between 1 and {MaxSeatsPerRow}.");
                    }
                    else
                    {
                        capacity += seats;
                    }

                    if (IsCode(label) && row.Seats is > 0 and <= MaxSeatsPerRow)
                    {
                        rows.Add(new Row(label!, row.Seats.Value));
                    }
                }
            }

            if (IsCode(code) && tier is not null)
            {
                sections.Add(new Section(code!, tier, rows));
            }
        }

        if (capacity > MaxVenueCapacity)
        {
            errors.Add("sections", $"The venue has {capacity:N0} seats; at most {MaxVenueCapacity:N0} are supported.");
        }

        return sections;
    }

    private static bool IsCode(string? value) =>
        value is { Length: > 0 and <= MaxCodeLength } && value.All(char.IsAsciiLetterOrDigit);
}
