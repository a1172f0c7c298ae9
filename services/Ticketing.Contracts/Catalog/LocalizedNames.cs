namespace Ticketing.Contracts.Catalog;

/// <summary>
/// A concert's names in other languages, each keyed by BCP 47 language tag (<c>{ "ko": "세븐틴", "en": "SEVENTEEN" }</c>);
/// a property is null when the operator gave no translations for it.
/// </summary>
public sealed record ConcertNames(
    IReadOnlyDictionary<string, string>? Artist,
    IReadOnlyDictionary<string, string>? Title,
    IReadOnlyDictionary<string, string>? Venue,
    IReadOnlyDictionary<string, string>? City);

/// <summary>A product's names in other languages, keyed by BCP 47 language tag.</summary>
public sealed record ProductNames(
    IReadOnlyDictionary<string, string>? Artist,
    IReadOnlyDictionary<string, string>? Name);
