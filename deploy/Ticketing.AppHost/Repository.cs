namespace Ticketing.AppHost;

/// <summary>The checkout the AppHost runs: the folder holding <c>Ticketing.sln</c> above the AppHost's binaries.</summary>
internal static class Repository
{
    public static string Root()
    {
        if (Environment.GetEnvironmentVariable("TICKETING_ROOT") is { Length: > 0 } root)
        {
            return Path.GetFullPath(root);
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ticketing.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Ticketing.sln above {AppContext.BaseDirectory}; set TICKETING_ROOT to the checkout.");
    }

    /// <summary>The Release dll of a project (<c>services/Catalog/Ticketing.Catalog.csproj</c>), as <c>dotnet build -c Release</c> writes it.</summary>
    public static string Dll(string root, string project) =>
        Path.Combine(root, Path.GetDirectoryName(project)!, "bin", "Release", "net10.0", Path.GetFileNameWithoutExtension(project) + ".dll");
}
