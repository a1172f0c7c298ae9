using System.Text.Json;

namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// One configuration value of a running service, looked up where ASP.NET Core would find it: the process's
/// environment (<c>Section__Key</c>), then <c>appsettings.{Environment}.json</c> and <c>appsettings.json</c> beside
/// its dll. Linux only (<c>/proc</c>); for printing next to the figures the setting shaped.
/// </summary>
public static class ServiceSetting
{
    /// <summary>"value (where it was found)", or null when the process runs but sets nothing, or is not found.</summary>
    public static string? Find(string dllName, string key)
    {
        if (Process(dllName) is not { } process)
        {
            return null;
        }

        var environment = Environment(process.Pid);
        if (environment.TryGetValue(key.Replace(":", "__", StringComparison.Ordinal), out var fromEnvironment))
        {
            return $"{fromEnvironment} (environment of {dllName})";
        }

        var folder = Path.GetDirectoryName(process.DllPath) ?? ".";
        var hostEnvironment = environment.GetValueOrDefault("ASPNETCORE_ENVIRONMENT") ?? environment.GetValueOrDefault("DOTNET_ENVIRONMENT") ?? "Production";
        foreach (var file in new[] { $"appsettings.{hostEnvironment}.json", "appsettings.json" })
        {
            if (FromJson(Path.Combine(folder, file), key) is { } value)
            {
                return $"{value} ({file} of {dllName})";
            }
        }

        return null;
    }

    private static (int Pid, string DllPath)? Process(string dllName)
    {
        foreach (var directory in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var dll = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0')
                    .FirstOrDefault(argument => argument.EndsWith(dllName, StringComparison.Ordinal));
                if (dll is not null)
                {
                    return (pid, dll);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // ended meanwhile, or not ours to read
            }
        }

        return null;
    }

    private static Dictionary<string, string> Environment(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => entry.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .GroupBy(pair => pair[0], StringComparer.OrdinalIgnoreCase)
                .ToDictionary(group => group.Key, group => group.Last()[1], StringComparer.OrdinalIgnoreCase);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string? FromJson(string path, string key)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var element = document.RootElement;
        foreach (var part in key.Split(':'))
        {
            var next = element.ValueKind == JsonValueKind.Object
                ? element.EnumerateObject().FirstOrDefault(property => property.NameEquals(part) || string.Equals(property.Name, part, StringComparison.OrdinalIgnoreCase))
                : default;
            if (next.Value.ValueKind == JsonValueKind.Undefined)
            {
                return null;
            }

            element = next.Value;
        }

        return element.ToString();
    }
}
