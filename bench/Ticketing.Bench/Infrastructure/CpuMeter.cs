using System.Diagnostics;

namespace Ticketing.Bench.Infrastructure;

/// <summary>A named group of processes (the Catalog, PostgreSQL, …), recognised by pid and command line.</summary>
public sealed record ProcessGroup(string Name, Func<int, string, bool> Matches);

/// <summary>CPU used between two snapshots, in cores (1.0 = one core busy the whole time).</summary>
public sealed record CpuUsage(TimeSpan Elapsed, double BoxCores, int Cores, IReadOnlyList<(string Group, double Cores)> Groups)
{
    /// <summary>Interrupt handling (irq + softirq: loopback networking, mostly), part of "everything else".</summary>
    public double InterruptCores { get; init; }

    /// <summary>Time the hypervisor gave this machine's CPUs to others (steal), part of "everything else".</summary>
    public double StealCores { get; init; }

    /// <summary>CPU milliseconds a group spent per unit of work (per answer, …) over the interval.</summary>
    public double MillisecondsPer(string group, int count) =>
        count == 0 ? 0 : Groups.FirstOrDefault(entry => entry.Group == group).Cores * Elapsed.TotalMilliseconds / count;

    /// <summary>CPU milliseconds of the whole box per unit of work: every core's busy time, whoever used it.</summary>
    public double BoxMillisecondsPer(int count) => count == 0 ? 0 : BoxCores * Elapsed.TotalMilliseconds / count;

    /// <summary>CPU milliseconds of all the groups together per unit of work: what the measured system itself used.</summary>
    public double GroupsMillisecondsPer(int count) => count == 0 ? 0 : Groups.Sum(group => group.Cores) * Elapsed.TotalMilliseconds / count;

    /// <summary>The box's busy cores that no group accounts for: other processes, the kernel, processes that exited.</summary>
    public double OtherCores => Math.Max(0, BoxCores - Groups.Sum(group => group.Cores));

    /// <summary>"1.8 of 2 cores busy: Catalog 0.9, bench 0.4, …, other 0.1".</summary>
    public override string ToString()
    {
        var parts = Groups
            .Where(group => group.Cores >= 0.005)
            .OrderByDescending(group => group.Cores)
            .Select(group => $"{group.Group} {group.Cores:F2}")
            .Append($"everything else {OtherCores:F2} (of which interrupts {InterruptCores:F2}, steal {StealCores:F2})");
        return $"{BoxCores:F2} of {Cores} cores busy: {string.Join(", ", parts)}";
    }
}

/// <summary>
/// Where the box's CPU went during a phase, from Linux's <c>/proc</c>: the whole box from <c>/proc/stat</c>, each
/// group from its processes' <c>/proc/&lt;pid&gt;/stat</c>: the processes alive at the end, and the children they
/// reaped meanwhile (a process's <c>cutime</c> and <c>cstime</c>), so a PostgreSQL backend that ended during the phase
/// counts in its postmaster's group ("PostgreSQL, rest"), less what it had used before the phase. A process is its pid
/// and its start time: a pid the kernel gave to a new process during the phase is not taken for the old one. "Everything
/// else" is the rest of the box: other processes and the kernel. Null where there is no /proc.
/// </summary>
public sealed class CpuMeter
{
    private readonly IReadOnlyList<ProcessGroup> groups;
    private readonly BoxTicks boxAtStart;
    private readonly Dictionary<int, ProcessTicks> ticksAtStart;
    private readonly long startedAt = Stopwatch.GetTimestamp();

    private CpuMeter(IReadOnlyList<ProcessGroup> groups, BoxTicks box, Dictionary<int, ProcessTicks> ticks)
    {
        this.groups = groups;
        boxAtStart = box;
        ticksAtStart = ticks;
    }

    public static CpuMeter? Start(IReadOnlyList<ProcessGroup> groups) =>
        ReadBoxTicks() is { } box ? new CpuMeter(groups, box, ReadProcessTicks()) : null;

    public CpuUsage? Stop()
    {
        if (ReadBoxTicks() is not { } box || box.Total <= boxAtStart.Total)
        {
            return null;
        }

        // /proc/stat sums every core, so a core's worth of ticks over the interval is total / cores.
        var cores = Environment.ProcessorCount;
        var ticksPerCore = (double)(box.Total - boxAtStart.Total) / cores;
        var used = groups.ToDictionary(group => group.Name, _ => 0L);
        var now = ReadProcessTicks();
        ProcessGroup? GroupOf(int pid) =>
            SystemProcesses.CommandLine(pid) is { } commandLine ? groups.FirstOrDefault(group => group.Matches(pid, commandLine)) : null;

        bool AliveThroughout(int pid) =>
            ticksAtStart.TryGetValue(pid, out var before) && now.TryGetValue(pid, out var after) && before.StartedAt == after.StartedAt;

        foreach (var (pid, ticks) in now)
        {
            if (GroupOf(pid) is { } owner)
            {
                used[owner.Name] += ticks.WithReapedChildren - (AliveThroughout(pid) ? ticksAtStart[pid].WithReapedChildren : 0);
            }
        }

        // A process that ended meanwhile is in its parent's reaped children with all it ever used: take off what it had
        // used before the phase (where that parent is still the process it was at the start).
        foreach (var (pid, before) in ticksAtStart.Where(process => !AliveThroughout(process.Key)))
        {
            if (AliveThroughout(before.ParentPid) && GroupOf(before.ParentPid) is { } parent)
            {
                used[parent.Name] -= before.WithReapedChildren;
            }
        }

        return new CpuUsage(
            Stopwatch.GetElapsedTime(startedAt),
            (box.Busy - boxAtStart.Busy) / ticksPerCore,
            cores,
            groups.Select(group => (group.Name, used[group.Name] / ticksPerCore)).ToList())
        {
            InterruptCores = (box.Interrupts - boxAtStart.Interrupts) / ticksPerCore,
            StealCores = (box.Steal - boxAtStart.Steal) / ticksPerCore,
        };
    }

    /// <summary>Ticks of all cores from /proc/stat: busy (everything but idle and iowait), total, irq + softirq, steal.</summary>
    private readonly record struct BoxTicks(long Busy, long Total, long Interrupts, long Steal);

    /// <summary>Ticks of all cores (the first line of /proc/stat: user nice system idle iowait irq softirq steal …).</summary>
    private static BoxTicks? ReadBoxTicks()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
            var idle = fields[3] + fields[4];
            var total = fields.Sum();
            return new BoxTicks(total - idle, total, fields[5] + fields[6], fields[7]);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A process's user + system ticks, with those of the children it reaped, its parent, and when it started (ticks after boot).</summary>
    private readonly record struct ProcessTicks(long WithReapedChildren, int ParentPid, long StartedAt);

    /// <summary>The ticks of every process now alive.</summary>
    private static Dictionary<int, ProcessTicks> ReadProcessTicks()
    {
        var ticks = new Dictionary<int, ProcessTicks>();
        if (!Directory.Exists("/proc"))
        {
            return ticks;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                // "pid (comm) state ppid …": comm may hold spaces, so count fields after the last ')'; ppid is field 4,
                // utime and stime fields 14 and 15, cutime and cstime (the reaped children's) 16 and 17, starttime 22.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks[pid] = new ProcessTicks(fields.Skip(11).Take(4).Sum(long.Parse), int.Parse(fields[1]), long.Parse(fields[19]));
            }
            catch (IOException)
            {
                // the process ended meanwhile
            }
        }

        return ticks;
    }
}
