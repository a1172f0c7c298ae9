using System.Globalization;

namespace Ticketing.Catalog.Shared;

/// <summary>What the Catalog accepts as a price: a known ISO 4217 currency and no more decimals than it has.</summary>
public static class Money
{
    public const decimal MaxPrice = 100_000_000m;

    private static readonly HashSet<string> KnownCurrencies = CultureInfo
        .GetCultures(CultureTypes.SpecificCultures)
        .Select(culture => { try { return new RegionInfo(culture.Name).ISOCurrencySymbol; } catch (ArgumentException) { return null; } })
        .OfType<string>()
        .Where(code => code.Length == 3)
        .ToHashSet(StringComparer.Ordinal);

    // Currencies whose smallest unit is the whole unit (ISO 4217 minor unit 0); every other one has cents.
    private static readonly HashSet<string> ZeroDecimalCurrencies =
        ["KRW", "JPY", "VND", "CLP", "ISK", "PYG", "UGX", "XAF", "XOF", "XPF", "KMF", "RWF", "GNF", "DJF", "BIF", "VUV"];

    public static bool IsKnownCurrency(string? code) => code is not null && KnownCurrencies.Contains(code);

    public static int MinorDigits(string currency) => ZeroDecimalCurrencies.Contains(currency) ? 0 : 2;

    /// <summary>Returns why the price is not acceptable, or null when it is.</summary>
    public static string? Problem(decimal price, string? currency)
    {
        if (price <= 0)
        {
            return "Price must be greater than zero.";
        }

        if (price > MaxPrice)
        {
            return $"Price must not exceed {MaxPrice:N0}.";
        }

        if (IsKnownCurrency(currency) && decimal.Round(price, MinorDigits(currency!)) != price)
        {
            return MinorDigits(currency!) == 0
                ? $"{currency} prices are whole numbers."
                : $"{currency} prices have at most {MinorDigits(currency!)} decimals.";
        }

        return null;
    }

    public static string? CurrencyProblem(string? currency) =>
        IsKnownCurrency(currency) ? null : "Currency must be an ISO 4217 code such as KRW, USD or JPY.";
}
