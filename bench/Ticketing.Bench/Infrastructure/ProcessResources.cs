namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// Memory and open files of a <see cref="ProcessGroup"/>'s processes, from Linux's <c>/proc</c>: resident memory
/// (<c>VmRSS</c>) and how many more files (sockets included) a process may open under its limit.
/// </summary>
public static class ProcessResources
{
    /// <summary>Resident memory of the group's processes together, in bytes; 0 where there is no /proc.</summary>
    public static long ResidentBytes(ProcessGroup group) => SystemProcesses.Pids(group).Sum(pid =>
        Read(pid, "status", "VmRSS:") is { } kilobytes ? kilobytes * 1024 : 0);

    /// <summary>
    /// How many more files the group's most crowded process may open: its soft limit of open files (<c>ulimit -Sn</c>)
    /// less those open now; null where there is no /proc or no such process.
    /// </summary>
    public static int? OpenFileRoom(ProcessGroup group)
    {
        int? room = null;
        foreach (var pid in SystemProcesses.Pids(group))
        {
            try
            {
                if (Read(pid, "limits", "Max open files") is { } limit)
                {
                    var left = (int)Math.Min(int.MaxValue, limit - Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count());
                    room = room is null ? left : Math.Min(room.Value, left);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // ended meanwhile, or not ours to read
            }
        }

        return room;
    }

    /// <summary>The first number after <paramref name="label"/> on its line of <c>/proc/{pid}/{file}</c>.</summary>
    private static long? Read(int pid, string file, string label)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/{file}").FirstOrDefault(line => line.StartsWith(label, StringComparison.Ordinal));
            return line is not null && long.TryParse(line[label.Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], out var value) ? value : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null; // ended meanwhile, or not ours to read
        }
    }
}
