using System.CommandLine;
using System.CommandLine.Parsing;

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

    public int Int(string name, int defaultValue, int min, int max, string help) => Value(name, defaultValue, help, value =>
        value < min || value > max ? $"--{name} must be between {min} and {max}, got {value}." : null);

    public Uri Uri(string name, string defaultValue, string help)
    {
        var text = Value(name, defaultValue, help, value =>
            System.Uri.TryCreate(value, UriKind.Absolute, out _) ? null : $"--{name} must be an absolute URI, got '{value}'.", WithoutPassword);
        return new Uri(text);
    }

    /// <summary>A text option; <paramref name="display"/> shows it without secrets (a password in a connection string).</summary>
    public string Text(string name, string defaultValue, string help, Func<string, string>? display = null) =>
        Value(name, defaultValue, help, _ => null, display);

    /// <summary>Every option with the value in force (given or default), for the top of the output.</summary>
    public void Print(TextWriter output)
    {
        var width = read.Max(option => option.Name.Length) + 2;
        foreach (var (name, value, help) in read)
        {
            output.WriteLine($"  --{name.PadRight(width)}{value,-40} {help}");
        }
    }

    private T Value<T>(string name, T defaultValue, string help, Func<T, string?> error, Func<T, string>? display = null)
        where T : notnull
    {
        if (parsed is null)
        {
            var option = new Option<T>("--" + name) { Description = help, DefaultValueFactory = _ => defaultValue };
            option.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<T>() is { } value && error(value) is { } message)
                {
                    result.AddError(message);
                }
            });
            command.Options.Add(option);
            return defaultValue;
        }

        var given = parsed.GetValue<T>("--" + name) ?? defaultValue;
        read.Add((name, display?.Invoke(given) ?? given.ToString() ?? "", help));
        return given;
    }

    private static string WithoutPassword(string text) =>
        System.Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':')
            ? new UriBuilder(uri) { Password = "***" }.Uri.ToString()
            : text;
}
