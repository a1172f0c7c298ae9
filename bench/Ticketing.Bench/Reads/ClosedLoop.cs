using System.Diagnostics;
using System.Net;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Reads;

/// <summary>What a closed loop of GETs measured: answers per second, latency percentiles, bytes per answer.</summary>
public sealed record LoopResult(string Name, int Ok, int Failed, TimeSpan Elapsed, Stats Latency, long BodyBytes, string? FirstFailure)
{
    public double PerSecond => Stats.Rate(Ok, Elapsed);

    public double BytesPerAnswer => Ok == 0 ? 0 : (double)BodyBytes / Ok;
}

/// <summary>
/// GETs of one address from <c>connections</c> loops, each with one request in flight (a closed loop, as wrk does),
/// on one connection pool without decompression: the figures are those of the bytes on the wire. The load generator
/// is .NET (SocketsHttpHandler), on the same 2 cores as the system.
/// </summary>
public sealed class ClosedLoop(int connections) : IDisposable
{
    private readonly HttpMessageInvoker http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    });

    public async Task<LoopResult> RunAsync(string name, Uri address, TimeSpan warmup, TimeSpan measured, CancellationToken cancellationToken)
    {
        if (warmup > TimeSpan.Zero)
        {
            await LoopAsync(address, Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency), cancellationToken);
        }

        var start = Stopwatch.GetTimestamp();
        var loops = await LoopAsync(address, start + (long)(measured.TotalSeconds * Stopwatch.Frequency), cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start);
        return new LoopResult(
            name,
            loops.Sum(loop => loop.Ok),
            loops.Sum(loop => loop.Failed),
            elapsed,
            new Stats(loops.SelectMany(loop => loop.Latencies)),
            loops.Sum(loop => loop.Bytes),
            loops.Select(loop => loop.FirstFailure).FirstOrDefault(failure => failure is not null));
    }

    private async Task<Worker[]> LoopAsync(Uri address, long until, CancellationToken cancellationToken)
    {
        var workers = Enumerable.Range(0, connections).Select(_ => new Worker()).ToArray();
        await Task.WhenAll(workers.Select(worker => Task.Run(() => worker.RunAsync(http, address, until, cancellationToken), cancellationToken)));
        return workers;
    }

    public void Dispose() => http.Dispose();

    private sealed class Worker
    {
        private readonly byte[] buffer = new byte[64 * 1024];

        public List<double> Latencies { get; } = new(64 * 1024);
        public int Ok { get; private set; }
        public int Failed { get; private set; }
        public long Bytes { get; private set; }
        public string? FirstFailure { get; private set; }

        public async Task RunAsync(HttpMessageInvoker http, Uri address, long until, CancellationToken cancellationToken)
        {
            while (Stopwatch.GetTimestamp() < until && !cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, address);
                    request.Headers.TryAddWithoutValidation("Accept-Encoding", "br, gzip");
                    using var response = await http.SendAsync(request, cancellationToken);
                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                    int read;
                    while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        Bytes += read;
                    }

                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Ok++;
                        Latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    else
                    {
                        Failed++;
                        FirstFailure ??= $"{(int)response.StatusCode} {response.ReasonPhrase}";
                    }
                }
                catch (HttpRequestException exception)
                {
                    Failed++;
                    FirstFailure ??= exception.Message;
                }
            }
        }
    }
}
