using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using CsCheck;

namespace Ticketing.Gateway.Tests.Fuzzing;

/// <summary>The ids and valid bodies of the fixture's small world, which the generators spoil.</summary>
public sealed class FuzzWorld(GatewayFixture platform)
{
    public string ConcertJson { get; } = JsonSerializer.Serialize(GatewayFixture.ConcertBody(), JsonOptions.Web);

    public string ProductJson { get; } = JsonSerializer.Serialize(GatewayFixture.ProductBody(), JsonOptions.Web);

    public string Resolve(string template) => platform.Resolve(template);
}

/// <summary>
/// At least 10,000 malformed or hostile requests over every gateway route, through the gateway's real port: not one
/// 5xx, every error a problem detail with a sensible 4xx, and no stack trace, SQL or name of ours in any body. The
/// requests come from a fixed seed, so a run is repeatable; <c>TICKETING_FUZZ_SEED=random</c> (or a number) picks
/// another, <c>TICKETING_FUZZ_REQUESTS</c> another count. A failure names the seed and the requests that failed.
/// </summary>
public sealed class Fuzzing_every_route(GatewayFixture platform, ITestOutputHelper output) : IClassFixture<GatewayFixture>
{
    private const ulong DefaultSeed = 20261201;
    private const int DefaultRequests = 10_000;
    private const int Concurrency = 24;

    private static readonly HashSet<int> SensibleStatuses = [200, 201, 202, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429];

    /// <summary>What no answer may contain: stack traces, exception and driver names, SQL, our namespaces, CLR generics.</summary>
    private static readonly string[] Leaks =
    [
        "   at ", "Exception", "Npgsql", "Marten", "mt_doc", "mt_events", "SELECT ", "INSERT INTO", "UPDATE mt_", "Ticketing.",
        "System.", "Microsoft.", "MassTransit", "Nullable", "`1", "Int32", "StackTrace",
    ];

    [Fact]
    public async Task Ten_thousand_hostile_requests_get_no_5xx_and_every_error_is_a_clean_problem()
    {
        var (seed, seedText) = Seed();
        var count = int.TryParse(Environment.GetEnvironmentVariable("TICKETING_FUZZ_REQUESTS"), out var wanted) && wanted > 0 ? wanted : DefaultRequests;
        var generator = new HostileRequests(new FuzzWorld(platform)).Any;
        var pcg = new PCG(1, seed);
        var requests = Enumerable.Range(0, count).Select(_ => generator.Generate(pcg, null, out CsCheck.Size _)).ToList();

        using var client = new HttpClient(new SocketsHttpHandler
        {
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
            MaxConnectionsPerServer = Concurrency,
            AllowAutoRedirect = false,
        })
        {
            BaseAddress = platform.Gateway.Address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var tokens = new ConcurrentDictionary<string, string?>();
        var statuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        var unsendable = 0;
        var refusedByKestrel = 0;
        var clock = Stopwatch.StartNew();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (request, cancellationToken) =>
        {
            HttpRequestMessage message;
            try
            {
                message = Message(request, tokens.GetOrAdd(request.Caller, Token));
            }
            catch (Exception exception) when (exception is UriFormatException or FormatException or InvalidOperationException)
            {
                Interlocked.Increment(ref unsendable); // HttpClient itself refuses to send it (a header it cannot encode)
                return;
            }

            using (message)
            {
                try
                {
                    using var response = await client.SendAsync(message, cancellationToken);
                    var status = (int)response.StatusCode;
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                    var body = await response.Content.ReadAsStringAsync(cancellationToken);
                    if (RefusedByKestrel(response, status, body))
                    {
                        Interlocked.Increment(ref refusedByKestrel);
                    }
                    else if (Problem(request, response, status, body) is { } problem)
                    {
                        failures.Enqueue($"{problem}\n    request: {request}\n    answer: {status} {Truncate(body)}");
                    }
                }
                catch (HttpRequestException exception) when (exception.InnerException is not IOException)
                {
                    Interlocked.Increment(ref unsendable);
                }
                catch (HttpRequestException exception)
                {
                    failures.Enqueue($"the connection broke: {exception.Message}\n    request: {request}");
                }
            }
        });

        var sent = statuses.Values.Sum();
        var byClass = statuses.GroupBy(pair => $"{pair.Key / 100}xx").OrderBy(group => group.Key)
            .Select(group => $"{group.Key}: {group.Sum(pair => pair.Value)}");
        output.WriteLine($"Fuzzed {sent} requests ({unsendable} refused by HttpClient itself) in {clock.Elapsed.TotalSeconds:F1} s, seed {seedText}.");
        output.WriteLine($"By class: {string.Join(", ", byClass)}.");
        output.WriteLine($"By status: {string.Join(", ", statuses.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}: {pair.Value}"))}.");
        output.WriteLine($"Of the 400s, {refusedByKestrel} were refused by Kestrel itself before any of our code ran (an encoded NUL in the path): an empty 400.");

        Assert.True(failures.IsEmpty,
            $"{failures.Count} of {sent} answers were wrong (seed {seedText}; rerun with TICKETING_FUZZ_SEED={seed}):\n" +
            string.Join("\n", failures.Take(15)));
        Assert.True(sent >= Math.Min(count, DefaultRequests) * 99 / 100, $"only {sent} of {count} requests could be sent");
    }

    /// <summary>
    /// Kestrel refuses some requests while parsing them, before any middleware runs (a path with an encoded NUL,
    /// <c>%00</c>): an empty 400 without the headers every answer of ours carries. That is a clean refusal, counted apart.
    /// </summary>
    private static bool RefusedByKestrel(HttpResponseMessage response, int status, string body) =>
        status == 400 && body.Length == 0 && response.Content.Headers.ContentType is null && !response.Headers.Contains("X-Correlation-Id");

    /// <summary>What is wrong with an answer, or null.</summary>
    private static string? Problem(FuzzRequest request, HttpResponseMessage response, int status, string body)
    {
        // The readiness probe answers 503 in its own format while an upstream's probe is late (on a loaded machine):
        // that is what it is for, not a failure of input handling.
        if (request.Route.StartsWith("/health/ready", StringComparison.Ordinal) && status == 503 && request.Path.StartsWith("/health/ready", StringComparison.Ordinal))
        {
            return Leaks.FirstOrDefault(leak => body.Contains(leak, StringComparison.Ordinal)) is { } healthLeak ? $"the body names \"{healthLeak}\"" : null;
        }

        if (status >= 500)
        {
            return $"a {status}";
        }

        if (!SensibleStatuses.Contains(status))
        {
            return $"an unexpected status {status}";
        }

        if (Leaks.FirstOrDefault(leak => body.Contains(leak, StringComparison.Ordinal)) is { } leak)
        {
            return $"the body names \"{leak}\"";
        }

        if (status < 400 || request.Method == "HEAD" || request.Route.StartsWith("/health/", StringComparison.Ordinal) && status is 200 or 503)
        {
            return null;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"a {status} that is not a problem detail ({response.Content.Headers.ContentType})";
        }

        try
        {
            using var problem = JsonDocument.Parse(body);
            return problem.RootElement.TryGetProperty("status", out var said) && said.TryGetInt32(out var number) && number == status
                ? null
                : $"a problem whose status is not {status}";
        }
        catch (JsonException)
        {
            return "a problem body that is not JSON";
        }
    }

    private HttpRequestMessage Message(FuzzRequest request, string? token)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.Path, UriKind.Relative));
        if (token is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", token);
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                throw new InvalidOperationException($"header {name}");
            }
        }

        if (request.Body is { } body)
        {
            message.Content = new ByteArrayContent(body);
            if (request.ContentType is { } contentType)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        return message;
    }

    private static string? Token(string caller) => caller switch
    {
        "anonymous" => null,
        "operator" => "Bearer " + TestTokens.Operator("operator-fuzz"),
        "expired" => "Bearer " + TestTokens.Expired("fan-fuzz"),
        "forged" => "Bearer " + TestTokens.WrongKeyFan("fan-fuzz"),
        "garbage" => "Bearer x.y.z",
        _ => "Bearer " + TestTokens.Fan(caller),
    };

    private static (ulong Seed, string Text) Seed()
    {
        var configured = Environment.GetEnvironmentVariable("TICKETING_FUZZ_SEED");
        if (string.Equals(configured, "random", StringComparison.OrdinalIgnoreCase))
        {
            var random = (ulong)Random.Shared.NextInt64();
            return (random, $"{random} (random)");
        }

        return ulong.TryParse(configured, out var seed) ? (seed, seed.ToString()) : (DefaultSeed, $"{DefaultSeed} (the fixed default)");
    }

    private static string Truncate(string body) => body.Length > 400 ? body[..400] + "…" : body;
}
