using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ticketing.Bench.Infrastructure;

/// <summary>
/// What one wrk run counted: responses, bytes (headers included), failures, and the latency histogram. wrk corrects
/// that histogram for coordinated omission (a response slower than the loop's mean interval adds the samples the
/// requests it held back would have had), so it holds more samples than responses and its percentiles are not lower
/// than the raw ones.
/// </summary>
internal sealed record WrkResult(long Responses, long WireBytes, TimeSpan Elapsed, long NotOk, long SocketErrors, Stats LatencyMs);

/// <summary>
/// wrk (Debian's <c>wrk</c> package; <c>./ticketing up</c> installs it), the closed-loop HTTP/1.1 load generator the
/// issues' reference figures were measured with: one thread keeps <c>connections</c> requests in flight for a duration.
/// It costs the box far less CPU per request than an <see cref="HttpClient"/> loop, so on a 2-core box where the load
/// generator shares the cores with the system, the figures are the gateway's and not the generator's. Its <c>done</c>
/// hook prints the totals and the latency histogram (each recorded microsecond value with its count) as JSON.
/// </summary>
internal static class Wrk
{
    /// <summary>What a <see cref="PostEachOnceAsync"/> script prints when every request is answered.</summary>
    private const string AllAnsweredLine = "ticketing-bench: every request answered";

    private const string Script = """
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format('{"responses":%d,"bytes":%d,"durationUs":%d,"notOk":%d,"socketErrors":%d,"latency":[',
            summary.requests, summary.bytes, summary.duration, e.status, e.connect + e.read + e.write + e.timeout))
          for i = 1, #latency do
            local value, count = latency(i)
            io.write(string.format('%s[%d,%d]', i > 1 and ',' or '', value, count))
          end
          io.write(']}\n')
        end
        """;

    /// <summary>The wrk on the PATH, or null when there is none.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "wrk"))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Runs wrk against <paramref name="address"/>. Every request carries <paramref name="headers"/>; with
    /// <paramref name="authorizations"/>, each request carries the next of these <c>Authorization</c> values instead, in
    /// turn (a Lua <c>request</c> function reading them from a file), so that many fans' calls are sent, not one's.
    /// </summary>
    public static async Task<WrkResult> RunAsync(
        string wrk, Uri address, int connections, TimeSpan duration, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken,
        IReadOnlyList<string>? authorizations = null)
    {
        var requests = "";
        string? file = null;
        if (authorizations is { Count: > 0 })
        {
            file = await WriteAuthorizationsAsync(authorizations, cancellationToken);
            var fixedHeaders = string.Concat(headers.Select(header => $"headers[\"{header.Key}\"] = \"{header.Value}\"\n"));
            // Each request is formatted once, before the run (init), and sent as is: formatting it per request in
            // Lua cost wrk more CPU than the request's own parsing, on the cores the measured system shares.
            requests = $$"""
                local requests = {}
                for line in io.lines("{{file}}") do requests[#requests + 1] = line end
                local next = 0
                init = function(args)
                  for i = 1, #requests do
                    local headers = { ["Authorization"] = requests[i] }
                    {{fixedHeaders}}
                    requests[i] = wrk.format(nil, nil, headers)
                  end
                end
                request = function()
                  next = next % #requests + 1
                  return requests[next]
                end

                """;
        }

        return await RunScriptAsync(wrk, address, connections, duration, headers, requests, file, cancellationToken);
    }

    /// <summary>
    /// Sends one <c>POST</c> with an empty body to <paramref name="address"/> per <paramref name="authorizations"/>
    /// value (each request carries the next one, each exactly once), <paramref name="connections"/> in flight, and
    /// ends when every one is answered (or after <paramref name="limit"/>): a closed loop of many fans acting once each,
    /// such as joining a queue. wrk counts answers, not their statuses (no <c>response</c> hook, which would cost wrk a
    /// Lua call and a header table per answer): the caller checks the effect.
    /// </summary>
    public static async Task<WrkResult> PostEachOnceAsync(
        string wrk, Uri address, int connections, IReadOnlyList<string> authorizations, TimeSpan limit, CancellationToken cancellationToken)
    {
        var file = await WriteAuthorizationsAsync(authorizations, cancellationToken);
        // wrk asks delay() before each request of a connection, that is once the connection's last answer came. Once
        // every request was handed out, a connection asking is done: it waits (for an hour), and when the last of the
        // connections waits, every request was answered and the run ends.
        var requests = $$"""
            local requests = {}
            for line in io.lines("{{file}}") do requests[#requests + 1] = line end
            local total = #requests
            local connections = {{connections}}
            local claimed = 0
            local sent = 0
            local done_connections = 0
            init = function(args)
              for i = 1, total do
                requests[i] = wrk.format("POST", nil, { ["Authorization"] = requests[i] }, "")
              end
            end
            -- delay() claims the request the connection sends next: between a delay() and its request() other
            -- connections ask too, so counting in request() would let the last connections past the last fan.
            delay = function()
              if claimed < total then
                claimed = claimed + 1
                return 0
              end
              done_connections = done_connections + 1
              if done_connections == connections then
                -- The thread stops its loop; wrk's main thread sleeps out -d unless interrupted, and an interrupt
                -- ends the run as at -d, with the totals and the duration up to now. The benchmark sends it on
                -- this line: a kill from the script itself (io.popen) was sometimes not seen by wrk's main thread,
                -- which then slept out -d.
                wrk.thread:stop()
                io.stdout:write("{{AllAnsweredLine}}\n")
                io.stdout:flush()
              end
              return 3600000
            end
            -- wrk calls request() once before the run on its first thread's state, to check the request parses; that
            -- call must not use up a fan.
            local checked = false
            request = function()
              if not checked then
                checked = true
                return requests[1]
              end
              -- Only a connection that lost its answer to a read error asks without a claim: it sends the last fan's
              -- join again, which the caller's checks (one request per fan, the drop's count) then report.
              if sent < total then sent = sent + 1 end
              return requests[sent]
            end

            """;
        return await RunScriptAsync(wrk, address, connections, limit, new Dictionary<string, string>(), requests, file, cancellationToken);
    }

    /// <summary>The <c>Authorization</c> values one per line, in the file the script reads them from (removed after the run).</summary>
    private static async Task<string> WriteAuthorizationsAsync(IReadOnlyList<string> authorizations, CancellationToken cancellationToken)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ticketing-bench-wrk-{Environment.ProcessId}.authorizations");
        await File.WriteAllLinesAsync(file, authorizations, cancellationToken);
        return file;
    }

    private static async Task<WrkResult> RunScriptAsync(
        string wrk, Uri address, int connections, TimeSpan duration, IReadOnlyDictionary<string, string> headers, string requests, string? file,
        CancellationToken cancellationToken)
    {
        var script = Path.Combine(Path.GetTempPath(), $"ticketing-bench-wrk-{Environment.ProcessId}.lua");
        await File.WriteAllTextAsync(script, requests + Script, cancellationToken);
        string json;
        try
        {
            var start = new ProcessStartInfo(wrk)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[] { "-t1", $"-c{connections}", $"-d{Math.Max(1, (int)duration.TotalSeconds)}s", "--timeout", "10s", "-s", script })
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in headers)
            {
                start.ArgumentList.Add("-H");
                start.ArgumentList.Add($"{name}: {value}");
            }

            start.ArgumentList.Add(address.ToString());
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{wrk} did not start");
            var output = ReadOutputAsync(process, cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            var text = await output;
            json = text.Split('\n').LastOrDefault(line => line.StartsWith("{\"responses\"", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"wrk exited with {process.ExitCode} and no totals: {await errors}{text}");
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {await errors}{text}");
            }
        }
        finally
        {
            File.Delete(script);
            if (file is not null)
            {
                File.Delete(file);
            }
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var samples = new List<double>();
        foreach (var bucket in root.GetProperty("latency").EnumerateArray())
        {
            var milliseconds = bucket[0].GetInt64() / 1000.0;
            samples.AddRange(Enumerable.Repeat(milliseconds, (int)bucket[1].GetInt64()));
        }

        return new WrkResult(
            root.GetProperty("responses").GetInt64(),
            root.GetProperty("bytes").GetInt64(),
            TimeSpan.FromMicroseconds(root.GetProperty("durationUs").GetInt64()),
            root.GetProperty("notOk").GetInt64(),
            root.GetProperty("socketErrors").GetInt64(),
            new Stats(samples));
    }

    /// <summary>
    /// wrk's standard output, read line by line: when a script says every request was answered, wrk is interrupted
    /// (SIGINT, as Ctrl-C would), which ends its run at once with the totals up to now.
    /// </summary>
    private static async Task<string> ReadOutputAsync(Process process, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            text.AppendLine(line);
            if (line == AllAnsweredLine)
            {
                using var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
                await interrupt.WaitForExitAsync(cancellationToken);
            }
        }

        return text.ToString();
    }
}
