using Ticketing.Catalog.Shared;

namespace Ticketing.Catalog.ExchangeRates;

// The exchange rates operators publish so that fans can see a price in a currency of their choosing, marked as
// approximate. Charges never use them: an order is paid in the concert's or product's own currency.

/// <summary>Operators published a sheet: <c>Rates[c]</c> units of currency <c>c</c> are worth one unit of <c>Base</c>.</summary>
public sealed record ExchangeRatesPublished(string Base, IReadOnlyDictionary<string, decimal> Rates, DateTimeOffset PublishedAt);

/// <summary>The latest published sheet (one stream; each publication replaces the rates).</summary>
public sealed record ExchangeRateSheet
{
    /// <summary>The one stream every publication is appended to.</summary>
    public static readonly Guid StreamId = new("5e7c1a40-2f5b-4c8e-9d1a-6b3f0e2a7c11");

    public Guid Id { get; init; }
    public required string Base { get; init; }
    public required IReadOnlyDictionary<string, decimal> Rates { get; init; }
    public DateTimeOffset PublishedAt { get; init; }
    public int Version { get; set; }

    public static ExchangeRateSheet Create(ExchangeRatesPublished published) =>
        new() { Id = StreamId, Base = published.Base, Rates = published.Rates, PublishedAt = published.PublishedAt };

    public ExchangeRateSheet Apply(ExchangeRatesPublished published) =>
        this with { Base = published.Base, Rates = published.Rates, PublishedAt = published.PublishedAt };
}

public sealed record PublishExchangeRatesRequest(string? Base, IReadOnlyDictionary<string, decimal?>? Rates);

public sealed record ExchangeRatesResponse(string Base, IReadOnlyDictionary<string, decimal> Rates, DateTimeOffset PublishedAt, bool Approximate = true)
{
    public static ExchangeRatesResponse From(ExchangeRateSheet sheet) => new(sheet.Base, sheet.Rates, sheet.PublishedAt);
}

/// <summary>Checks a sheet at the edge: known ISO 4217 codes, positive rates, the base worth exactly 1.</summary>
public static class ExchangeRatesValidation
{
    public const int MaxCurrencies = 200;
    public const decimal MaxRate = 1_000_000_000m;

    public static (ExchangeRatesPublished? Published, ValidationErrors Errors) Validate(PublishExchangeRatesRequest? request, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        var baseCurrency = request?.Base?.Trim().ToUpperInvariant();
        if (Money.CurrencyProblem(baseCurrency) is { } problem)
        {
            errors.Add("base", problem);
        }

        var rates = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        if (request?.Rates is not { Count: > 0 } given)
        {
            errors.Add("rates", "At least one rate is required.");
        }
        else if (given.Count > MaxCurrencies)
        {
            errors.Add("rates", $"At most {MaxCurrencies} currencies.");
        }
        else
        {
            foreach (var (code, rate) in given)
            {
                var currency = code.Trim().ToUpperInvariant();
                if (!Money.IsKnownCurrency(currency))
                {
                    errors.Add("rates", "Keys are ISO 4217 codes such as KRW, USD or JPY.");
                }
                else if (rate is not { } value || value <= 0 || value > MaxRate)
                {
                    errors.Add($"rates.{currency}", $"A rate is a number above 0 and at most {MaxRate:N0}.");
                }
                else if (currency == baseCurrency && value != 1m)
                {
                    errors.Add($"rates.{currency}", "The base currency's rate is 1.");
                }
                else if (!rates.TryAdd(currency, value))
                {
                    errors.Add("rates", $"{currency} is listed twice.");
                }
            }
        }

        if (!errors.IsEmpty)
        {
            return (null, errors);
        }

        rates[baseCurrency!] = 1m;
        return (new ExchangeRatesPublished(baseCurrency!, rates, now), errors);
    }
}
