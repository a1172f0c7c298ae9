using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Reads;

/// <summary>A read of the benchmark: what it is called, its path under the gateway, the <c>Accept-Encoding</c> it sends (none: null).</summary>
internal sealed record Read(string Name, string Path, string? AcceptEncoding = ReadLoop.AcceptEncoding);

/// <summary>One answer as it came over the wire: status, content encoding, body bytes, and header bytes when counted.</summary>
internal sealed record WireAnswer(int Status, string Encoding, byte[] Body, int HeaderBytes)
{
    /// <summary>200, or 304 to a conditional read: the answers a read may get.</summary>
    public bool Served => Status is 200 or 304;
}

/// <summary>
/// What a closed loop of one read measured over its measured seconds: answers, those served (200 or 304), body bytes
/// per answer, statuses and encodings as tallies, bodies that were not JSON.
/// </summary>
internal sealed record ReadResult(
    Read Read, TimeSpan Elapsed, Stats Latency, int Answers, int Served, double BytesPerAnswer, string Statuses, string Encodings,
    int Undecodable, string? FirstProblem, CpuUsage? Cpu)
{
    public double PerSecond => Elapsed > TimeSpan.Zero ? Served / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// GETs of one address through the gateway, <c>connections</c> in flight (a closed loop), asking for Brotli or gzip and
/// decompressing nothing: the bytes counted are those on the wire. With <c>wrk</c> (when it is installed) wrk sends
/// the measured load, and a sample of answers read here afterwards is checked (status, encoding, JSON); without it,
/// <c>connections</c> workers here send it, and every answer body that differs from the worker's last valid one is
/// decoded (its <c>Content-Encoding</c>) and parsed as JSON (identical bodies, a cached answer served again, are
/// checked once).
/// </summary>
internal sealed class ReadLoop(Uri gateway, int connections, string? wrk) : IDisposable
{
    /// <summary>Answers read and checked after a wrk run.</summary>
    private const int SampleAnswers = 32;

    public const string AcceptEncoding = "br, gzip";

    private readonly HttpMessageInvoker http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(15),
    });

    public Uri Gateway => gateway;

    /// <summary>
    /// <paramref name="warmUp"/> unmeasured, then <paramref name="measured"/> measured: latency of every answer, the
    /// statuses, the bytes, the CPU of <paramref name="groups"/> over the measured part.
    /// </summary>
    public async Task<ReadResult> RunAsync(Read read, TimeSpan warmUp, TimeSpan measured, IReadOnlyList<ProcessGroup> groups, CancellationToken cancellationToken)
    {
        var address = new Uri(gateway, read.Path);
        return wrk is null
            ? await RunHereAsync(read, address, warmUp, measured, groups, cancellationToken)
            : await RunWithWrkAsync(wrk, read, address, warmUp, measured, groups, cancellationToken);
    }

    /// <summary>One GET of <paramref name="address"/> with this <c>Accept-Encoding</c>; the body as sent.</summary>
    public async Task<WireAnswer> GetAsync(Uri address, string? acceptEncoding, bool countHeaders, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var encoding = response.Content.Headers.ContentEncoding.FirstOrDefault() ?? "identity";
        // "HTTP/1.1 200 OK\r\n", each "Name: value\r\n", the blank line; chunk framing left out.
        var headerBytes = countHeaders
            ? 17 + response.Headers.Concat(response.Content.Headers).Sum(header => header.Key.Length + 4 + string.Join(", ", header.Value).Length) + 2
            : 0;
        return new WireAnswer((int)response.StatusCode, encoding, body, headerBytes);
    }

    /// <summary>The body decompressed as its <c>Content-Encoding</c> says.</summary>
    public static byte[] Decode(WireAnswer answer)
    {
        if (answer.Encoding == "identity")
        {
            return answer.Body;
        }

        using var input = new MemoryStream(answer.Body);
        using Stream decoded = answer.Encoding switch
        {
            "br" => new BrotliStream(input, CompressionMode.Decompress),
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            _ => throw new InvalidDataException($"unknown Content-Encoding '{answer.Encoding}'"),
        };
        using var output = new MemoryStream();
        decoded.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Null when the body decodes to JSON, else what is wrong with it.</summary>
    public static string? JsonProblem(WireAnswer answer)
    {
        try
        {
            using var document = JsonDocument.Parse(Decode(answer));
            return null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidDataException)
        {
            return $"{answer.Encoding} body of {answer.Body.Length} bytes does not decode to JSON: {exception.Message}";
        }
    }

    public void Dispose() => http.Dispose();

    private async Task<ReadResult> RunHereAsync(
        Read read, Uri address, TimeSpan warmUp, TimeSpan measured, IReadOnlyList<ProcessGroup> groups, CancellationToken cancellationToken)
    {
        if (warmUp > TimeSpan.Zero)
        {
            await LoopAsync(address, read.AcceptEncoding, warmUp, cancellationToken);
        }

        var cpu = CpuMeter.Start(groups);
        var start = Stopwatch.GetTimestamp();
        var workers = await LoopAsync(address, read.AcceptEncoding, measured, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var statuses = workers.SelectMany(worker => worker.Statuses).ToList();
        return new ReadResult(
            read,
            elapsed,
            new Stats(workers.SelectMany(worker => worker.Latencies)),
            statuses.Count,
            statuses.Count(status => status is 200 or 304),
            statuses.Count == 0 ? 0 : (double)workers.Sum(worker => worker.Bytes) / statuses.Count,
            Report.Tally(statuses),
            Report.Tally(workers.SelectMany(worker => worker.Encodings)),
            workers.Sum(worker => worker.Undecodable),
            workers.Select(worker => worker.FirstProblem).FirstOrDefault(problem => problem is not null),
            cpu?.Stop());
    }

    private async Task<ReadResult> RunWithWrkAsync(
        string wrkPath, Read read, Uri address, TimeSpan warmUp, TimeSpan measured, IReadOnlyList<ProcessGroup> groups, CancellationToken cancellationToken)
    {
        var headers = read.AcceptEncoding is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["Accept-Encoding"] = read.AcceptEncoding };
        if (warmUp > TimeSpan.Zero)
        {
            await Wrk.RunAsync(wrkPath, address, connections, warmUp, headers, cancellationToken);
        }

        var cpu = CpuMeter.Start(groups);
        var run = await Wrk.RunAsync(wrkPath, address, connections, measured, headers, cancellationToken);
        var usage = cpu?.Stop();

        // wrk counts a response as good when its status is 2xx or 3xx; a sample read here checks status, encoding and body.
        var sample = new List<WireAnswer>(SampleAnswers);
        for (var i = 0; i < SampleAnswers; i++)
        {
            sample.Add(await GetAsync(address, read.AcceptEncoding, countHeaders: false, cancellationToken));
        }

        var problems = sample.Select(answer => answer.Served ? JsonProblem(answer) : $"{answer.Status}").Where(problem => problem is not null).ToList();
        var served = (int)(run.Responses - run.NotOk);
        return new ReadResult(
            read,
            run.Elapsed,
            run.LatencyMs,
            (int)(run.Responses + run.SocketErrors),
            served,
            sample.Average(answer => answer.Body.Length),
            $"2xx/3xx x{served}" + (run.NotOk > 0 ? $", other x{run.NotOk}" : "") + (run.SocketErrors > 0 ? $", socket errors x{run.SocketErrors}" : "") +
                $" (wrk); sample of {sample.Count}: {Report.Tally(sample.Select(answer => answer.Status))}",
            $"sample: {Report.Tally(sample.Select(answer => answer.Encoding))}",
            problems.Count,
            problems.FirstOrDefault(),
            usage);
    }

    private async Task<Worker[]> LoopAsync(Uri address, string? acceptEncoding, TimeSpan duration, CancellationToken cancellationToken)
    {
        var workers = Enumerable.Range(0, connections).Select(_ => new Worker()).ToArray();
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Load.ClosedAsync(connections, (worker, token) => workers[worker].ReadAsync(this, address, acceptEncoding, until, token), cancellationToken);
        return workers;
    }

    /// <summary>One connection's answers (one worker at a time, so no locks).</summary>
    private sealed class Worker
    {
        private byte[] lastValid = [];

        public List<double> Latencies { get; } = new(16 * 1024);
        public List<int> Statuses { get; } = new(16 * 1024);
        public List<string> Encodings { get; } = new(16 * 1024);
        public long Bytes { get; private set; }
        public int Undecodable { get; private set; }
        public string? FirstProblem { get; private set; }

        /// <summary>One read, or false once <paramref name="until"/> has passed.</summary>
        public async Task<bool> ReadAsync(ReadLoop loop, Uri address, string? acceptEncoding, long until, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            if (started >= until)
            {
                return false;
            }

            try
            {
                var answer = await loop.GetAsync(address, acceptEncoding, countHeaders: false, cancellationToken);
                Latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Statuses.Add(answer.Status);
                Encodings.Add(answer.Encoding);
                Bytes += answer.Body.Length;
                if (!answer.Served)
                {
                    FirstProblem ??= $"{answer.Status}: {Encoding.UTF8.GetString(answer.Body.AsSpan(0, Math.Min(300, answer.Body.Length)))}";
                }
                else if (answer.Status == 200 && !answer.Body.AsSpan().SequenceEqual(lastValid))
                {
                    if (JsonProblem(answer) is { } problem)
                    {
                        Undecodable++;
                        FirstProblem ??= problem;
                    }
                    else
                    {
                        lastValid = answer.Body;
                    }
                }
            }
            catch (HttpRequestException exception)
            {
                Latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Statuses.Add(0);
                Encodings.Add("none");
                FirstProblem ??= $"no answer: {exception.Message}";
            }

            return true;
        }
    }
}
