using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Ticketing.Bench.Infrastructure;

/// <summary>What a result needs next to it to be compared later: the machine, the date and the code.</summary>
public static class RunInfo
{
    private static readonly TimeSpan GitTimeout = TimeSpan.FromSeconds(5);

    /// <summary>This run's tag, in the names of the fans, concerts and products it makes (apart from earlier runs').</summary>
    public static string Tag { get; } = Guid.NewGuid().ToString("N")[..8];

    public static async Task PrintAsync(TextWriter output, CancellationToken cancellationToken)
    {
        var memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        output.WriteLine($"  date (UTC)   {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}");
        output.WriteLine($"  machine      {Environment.ProcessorCount} cores ({CpuModel()}), {memoryGiB:F1} GiB memory");
        output.WriteLine($"  OS           {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        output.WriteLine($"  .NET         {RuntimeInformation.FrameworkDescription}");
        output.WriteLine($"  commit       {await GitCommitAsync(cancellationToken)}");
        output.WriteLine($"  run tag      {Tag}");
    }

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        var model = File.Exists(cpuInfo)
            ? File.ReadLines(cpuInfo)
                .FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?
                .Split(':', 2)[1]
                .Trim()
            : null;
        return model ?? RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>The short commit of the working directory's repository, "+dirty" with uncommitted changes.</summary>
    private static async Task<string> GitCommitAsync(CancellationToken cancellationToken)
    {
        var commit = await GitAsync("rev-parse --short HEAD", cancellationToken);
        if (commit is null)
        {
            return "unknown (not a git checkout, or git is missing)";
        }

        var changes = await GitAsync("status --porcelain --untracked-files=no", cancellationToken);
        return string.IsNullOrEmpty(changes) ? commit : commit + "+dirty (uncommitted changes in tracked files)";
    }

    private static async Task<string?> GitAsync(string arguments, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(GitTimeout);
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null)
            {
                return null;
            }

            var stdout = git.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = git.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await git.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                git.Kill();
                throw;
            }

            await stderr;
            return git.ExitCode == 0 ? (await stdout).Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // git is not installed
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // git hung: the run goes on without the commit
        }
    }
}
