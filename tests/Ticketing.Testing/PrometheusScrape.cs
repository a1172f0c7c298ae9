using System.Globalization;
using System.Text.RegularExpressions;

namespace Ticketing.Testing;

/// <summary>
/// One scrape of a Prometheus text endpoint (<c>/metrics</c>), read into samples: name, labels and value. Counters
/// carry the <c>_total</c> suffix and histograms their <c>_bucket</c>/<c>_count</c>/<c>_sum</c> series, as Prometheus
/// stores them.
/// </summary>
public sealed partial class PrometheusScrape
{
    private PrometheusScrape(string text, IReadOnlyList<Sample> samples)
    {
        Text = text;
        Samples = samples;
    }

    public string Text { get; }

    public IReadOnlyList<Sample> Samples { get; }

    public static async Task<PrometheusScrape> ReadAsync(HttpClient client, string path = "/metrics")
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{client.BaseAddress}{path.TrimStart('/')} answered {(int)response.StatusCode}: {text}");
        }

        return Parse(text);
    }

    public static PrometheusScrape Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#') || SampleLine().Match(line) is not { Success: true } match)
            {
                continue;
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(pair => pair.Groups["key"].Value, pair => pair.Groups["value"].Value, StringComparer.Ordinal);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var number => double.Parse(number, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(match.Groups["name"].Value, labels, value));
        }

        return new PrometheusScrape(text, samples);
    }

    /// <summary>Whether any sample of the series exists.</summary>
    public bool Has(string name) => Samples.Any(sample => sample.Name == name);

    /// <summary>The sum of the series' samples whose labels include every pair of <paramref name="labels"/> (0 when none).</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(sample => sample.Name == name && labels.All(label => sample.Labels.GetValueOrDefault(label.Key) == label.Value))
            .Sum(sample => sample.Value);

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
