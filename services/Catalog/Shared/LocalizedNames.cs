using System.Text;
using System.Text.RegularExpressions;

namespace Ticketing.Catalog.Shared;

/// <summary>
/// Names in several languages, keyed by BCP 47 language tag (<c>{ "ko": "세븐틴", "en": "SEVENTEEN", "ja": "セブンティーン" }</c>),
/// set by operators next to the name as first given; clients show the fan's language and fall back to the given name.
/// </summary>
public static partial class LocalizedNames
{
    public const int MaxLanguages = 20;
    public const int MaxLength = 200;

    /// <summary>Language, optional script and optional region: <c>ko</c>, <c>pt-BR</c>, <c>zh-Hant-TW</c>.</summary>
    [GeneratedRegex("^(?<language>[A-Za-z]{2,3})(-(?<script>[A-Za-z]{4}))?(-(?<region>[A-Za-z]{2}|[0-9]{3}))?$")]
    private static partial Regex LanguageTag();

    /// <summary>The names with canonical tags (<c>pt-br</c> → <c>pt-BR</c>) and trimmed values; null when none were given.</summary>
    public static IReadOnlyDictionary<string, string>? Validate(string field, IReadOnlyDictionary<string, string?>? names, ValidationErrors errors)
    {
        if (names is null || names.Count == 0)
        {
            return null;
        }

        if (names.Count > MaxLanguages)
        {
            errors.Add(field, $"At most {MaxLanguages} languages.");
            return null;
        }

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (tag, name) in names)
        {
            var canonical = CanonicalTag(tag);
            if (canonical is null)
            {
                errors.Add(field, "Keys are language tags such as ko, en, ja or pt-BR.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                errors.Add($"{field}.{canonical}", "Required.");
                continue;
            }

            if (name.Trim().Length > MaxLength)
            {
                errors.Add($"{field}.{canonical}", $"At most {MaxLength} characters.");
                continue;
            }

            if (!result.TryAdd(canonical, name.Trim()))
            {
                errors.Add(field, $"{canonical} is listed twice.");
            }
        }

        return result.Count == 0 ? null : result;
    }

    public static string? CanonicalTag(string? tag)
    {
        var match = tag is null ? null : LanguageTag().Match(tag.Trim());
        if (match is not { Success: true })
        {
            return null;
        }

        var canonical = new StringBuilder(match.Groups["language"].Value.ToLowerInvariant());
        if (match.Groups["script"].Success)
        {
            var script = match.Groups["script"].Value;
            canonical.Append('-').Append(char.ToUpperInvariant(script[0])).Append(script[1..].ToLowerInvariant());
        }

        if (match.Groups["region"].Success)
        {
            canonical.Append('-').Append(match.Groups["region"].Value.ToUpperInvariant());
        }

        return canonical.ToString();
    }
}

/// <summary>
/// The text a catalog search matches: every name in every language, folded the same way as the fan's query (Unicode
/// NFKC, so half-width katakana and composed Hangul match, then lower case), so <c>세븐틴</c>, <c>seventeen</c> and
/// <c>セブンティーン</c> find the same concert.
/// </summary>
public static class CatalogSearch
{
    public const int MaxQueryLength = 100;

    public static string Fold(string text) => text.Normalize(NormalizationForm.FormKC).ToLowerInvariant().Trim();

    public static string Of(IEnumerable<string?> names) =>
        string.Join('\n', names.Where(name => !string.IsNullOrWhiteSpace(name)).Select(name => Fold(name!)).Distinct(StringComparer.Ordinal));

    public static IEnumerable<string> Values(IReadOnlyDictionary<string, string>? names) => names?.Values ?? Enumerable.Empty<string>();
}
