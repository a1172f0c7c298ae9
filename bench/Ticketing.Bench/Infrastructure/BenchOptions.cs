using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Ticketing.Bench.Infrastructure;

/// <summary>A command line that is wrong beyond what each option checks alone: printed, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The <c>--name value</c> options of one benchmark, parsed by System.CommandLine. A benchmark's
/// <see cref="IBenchmark.Configure"/> reads each option with its default, range and help; it is called twice: once
/// to declare the options on the benchmark's command (the values it gets are the defaults), once with the parsed
/// command line (the values given, or the defaults). The options read are printed at the top of the output.
/// </summary>
public sealed class BenchOptions
{
    private readonly Command command;
    private readonly ParseResult? parsed;
    private readonly List<(string Name, string Value, string Help)> read = [];

    private BenchOptions(Command command, ParseResult? parsed)
    {
        this.command = command;
        this.parsed = parsed;
    }

    /// <summary>Options read from this are declared on <paramref name="command"/>.</summary>
    public static BenchOptions Declaring(Command command) => new(command, null);

    /// <summary>Options read from this come from <paramref name="parsed"/>.</summary>
    public static BenchOptions Reading(Command command, ParseResult parsed) => new(command, parsed);

    public int Int(string name, int defaultValue, int min, int max, string help) => Value(name, defaultValue, help, text =>
        !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? (0, $"--{name} must be a whole number, got '{text}'.")
        : value < min || value > max ? (0, $"--{name} must be between {min} and {max}, got {value}.")
        : (value, null));

    public Uri Uri(string name, string defaultValue, string help) => Value(name, new Uri(defaultValue), help, text =>
        System.Uri.TryCreate(text, UriKind.Absolute, out var uri) ? (uri, null) : (null!, $"--{name} must be an absolute URI, got '{text}'."), WithoutPassword);

    /// <summary>A text option; <paramref name="display"/> shows it without secrets (a password in a connection string).</summary>
    public string Text(string name, string defaultValue, string help, Func<string, string>? display = null) =>
        Value(name, defaultValue, help, text => (text, null), display);

    /// <summary>Every option with the value in force (given or default), for the top of the output.</summary>
    public void Print(TextWriter output)
    {
        var width = read.Max(option => option.Name.Length) + 2;
        foreach (var (name, value, help) in read)
        {
            output.WriteLine($"  --{name.PadRight(width)}{value,-40} {help}");
        }
    }

    /// <param name="parse">The value of the option's text, or an error message.</param>
    private T Value<T>(string name, T defaultValue, string help, Func<string, (T Value, string? Error)> parse, Func<T, string>? display = null)
        where T : notnull
    {
        if (parsed is null)
        {
            command.Options.Add(new Option<T>("--" + name)
            {
                Description = help,
                DefaultValueFactory = _ => defaultValue,
                CustomParser = argument =>
                {
                    var (value, error) = parse(argument.Tokens.Count == 1 ? argument.Tokens[0].Value : "");
                    if (error is not null)
                    {
                        argument.AddError(error);
                    }

                    return value;
                },
            });
            return defaultValue;
        }

        var given = parsed.GetValue<T>("--" + name) ?? defaultValue;
        read.Add((name, display?.Invoke(given) ?? given.ToString() ?? "", help));
        return given;
    }

    private static string WithoutPassword(Uri uri) =>
        uri.UserInfo.Contains(':') ? new UriBuilder(uri) { Password = "***" }.Uri.ToString() : uri.ToString();
}
