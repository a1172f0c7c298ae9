using System.Globalization;

namespace Ticketing.Bench.Infrastructure;

/// <summary>A command line that is wrong: printed with the usage, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The <c>--name value</c> options of one benchmark. A benchmark reads each option it knows with its default
/// (which records it for <see cref="Print"/>), then calls <see cref="RejectUnknown"/> so that a mistyped
/// option fails instead of silently running with the default.
/// </summary>
public sealed class BenchOptions
{
    private readonly Dictionary<string, string> given;
    private readonly List<(string Name, string Value, string Help)> read = [];

    private BenchOptions(Dictionary<string, string> given) => this.given = given;

    public static BenchOptions Parse(IEnumerable<string> args)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        using var tokens = args.GetEnumerator();
        while (tokens.MoveNext())
        {
            var token = tokens.Current;
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2)
            {
                throw new UsageException($"Expected an option --name, got '{token}'.");
            }

            var name = token[2..];
            if (!tokens.MoveNext() || tokens.Current.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Option --{name} needs a value.");
            }

            if (!given.TryAdd(name, tokens.Current))
            {
                throw new UsageException($"Option --{name} is given twice.");
            }
        }

        return new BenchOptions(given);
    }

    public int Int(string name, int defaultValue, int min, int max, string help)
    {
        var value = defaultValue;
        if (given.TryGetValue(name, out var text)
            && !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            throw new UsageException($"--{name} must be a whole number, got '{text}'.");
        }

        if (value < min || value > max)
        {
            throw new UsageException($"--{name} must be between {min} and {max}, got {value}.");
        }

        read.Add((name, value.ToString(CultureInfo.InvariantCulture), help));
        return value;
    }

    public Uri Uri(string name, string defaultValue, string help)
    {
        var text = given.GetValueOrDefault(name, defaultValue);
        if (!System.Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw new UsageException($"--{name} must be an absolute URI, got '{text}'.");
        }

        read.Add((name, WithoutPassword(uri), help));
        return uri;
    }

    /// <summary>A text option; <paramref name="display"/> shows it without secrets (a password in a connection string).</summary>
    public string Text(string name, string defaultValue, string help, Func<string, string>? display = null)
    {
        var value = given.GetValueOrDefault(name, defaultValue);
        read.Add((name, display?.Invoke(value) ?? value, help));
        return value;
    }

    public void RejectUnknown()
    {
        var known = read.Select(option => option.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = given.Keys.Where(name => !known.Contains(name)).Order().ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"Unknown option(s): {string.Join(", ", unknown.Select(name => "--" + name))}.");
        }
    }

    /// <summary>Every option with the value in force (given or default), for the top of the output.</summary>
    public void Print(TextWriter output)
    {
        var width = read.Max(option => option.Name.Length) + 2;
        foreach (var (name, value, help) in read)
        {
            output.WriteLine($"  --{name.PadRight(width)}{value,-40} {help}");
        }
    }

    /// <summary>The option names and help, for the usage text.</summary>
    public IEnumerable<string> Describe() => read.Select(option => $"--{option.Name} <{option.Value}>  {option.Help}");

    private static string WithoutPassword(Uri uri) =>
        uri.UserInfo.Contains(':')
            ? new UriBuilder(uri) { Password = "***" }.Uri.ToString()
            : uri.ToString();
}
