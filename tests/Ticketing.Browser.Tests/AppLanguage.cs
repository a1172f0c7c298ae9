namespace Ticketing.Browser.Tests;

/// <summary>
/// One of the seven languages of the fan app and the ops dashboard (issue 19): the language a browser asks for, the
/// language the apps pick for it, and what the fan app shows in it for the seven-language concert (the artist's name,
/// and ₩198,000 as written there).
/// </summary>
public sealed record AppLanguage(string Browser, string App, string Artist, string VipPrice)
{
    public static readonly IReadOnlyList<AppLanguage> All =
    [
        new("ko-KR", "ko", "노바", "₩198,000"),
        new("en-US", "en", "NOVA", "₩198,000"),
        new("ja-JP", "ja", "ノヴァ", "₩198,000"),
        new("es-MX", "es", "NOVA", "KRW 198,000"),
        new("pt-BR", "pt-BR", "NOVA", "₩ 198.000"),
        new("id-ID", "id", "NOVA", "₩198.000"),
        new("th-TH", "th", "โนวา", "₩198,000"),
    ];

    /// <summary>Every language as the browser asks for it and as the apps answer: the ops dashboard's cases.</summary>
    public static TheoryData<string, string> BrowserAndApp()
    {
        var cases = new TheoryData<string, string>();
        foreach (var language in All)
        {
            cases.Add(language.Browser, language.App);
        }

        return cases;
    }

    /// <summary>Every language with what the fan app shows in it: the fan app's cases.</summary>
    public static TheoryData<string, string, string, string> WithFanAppTexts()
    {
        var cases = new TheoryData<string, string, string, string>();
        foreach (var language in All)
        {
            cases.Add(language.Browser, language.App, language.Artist, language.VipPrice);
        }

        return cases;
    }
}
