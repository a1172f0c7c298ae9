namespace Ticketing.Testing;

/// <summary>Settings a fixture gives one of the services it hosts, leaving the others' as they are.</summary>
public static class FixtureSettings
{
    /// <summary>
    /// <paramref name="settings"/> of <paramref name="service"/>, with <paramref name="values"/> set when it is
    /// <paramref name="target"/> (e.g. <c>"orders"</c>).
    /// </summary>
    public static Dictionary<string, string?> ForService(
        string target, string service, Dictionary<string, string?> settings, params (string Key, string? Value)[] values)
    {
        if (service == target)
        {
            foreach (var (key, value) in values)
            {
                settings[key] = value;
            }
        }

        return settings;
    }
}
