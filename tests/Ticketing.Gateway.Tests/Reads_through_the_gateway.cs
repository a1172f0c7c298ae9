using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;

namespace Ticketing.Gateway.Tests;

/// <summary>
/// Anonymous reads are cached, revalidated and compressed at the gateway; personal answers are never kept; the seat
/// state moves with every hold and reaches its listeners; and no cache ever changes what a hold decides.
/// </summary>
public sealed class Reads_through_the_gateway(GatewayFixture platform, ITestOutputHelper output) : IClassFixture<GatewayFixture>
{
    private string Concert(string read) => $"/api/tickets/concerts/{platform.ConcertId}/{read}";

    [Theory]
    [InlineData("/api/catalog/concerts/{concert}")]
    [InlineData("/api/tickets/concerts/{concert}/layout")]
    [InlineData("/api/tickets/concerts/{concert}/seat-state")]
    [InlineData("/api/tickets/concerts/{concert}/availability")]
    public async Task A_caller_holding_the_current_ETag_gets_304_with_no_body(string path)
    {
        using var client = platform.Gateway.CreateClient();
        path = platform.Resolve(path);
        using var first = await client.GetAsync(path);
        var tag = first.Headers.ETag;
        Assert.NotNull(tag);
        Assert.True(tag.IsWeak);
        Assert.True(first.Headers.CacheControl?.Public, $"{path}: {first.Headers.CacheControl}");

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(tag);
        using var revalidated = await client.SendAsync(again);

        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        Assert.Equal(tag, revalidated.Headers.ETag);
    }

    /// <summary>Each large public read in each encoding the gateway offers.</summary>
    public static TheoryData<string, string> LargeReadsInEveryEncoding()
    {
        var cases = new TheoryData<string, string>();
        foreach (var path in new[] { "/api/catalog/concerts", "/api/tickets/concerts/{concert}/seats" })
        {
            foreach (var encoding in new[] { "br", "gzip" })
            {
                cases.Add(path, encoding);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(LargeReadsInEveryEncoding))]
    public async Task Compressed_answers_decode_to_the_same_json(string path, string encoding)
    {
        path = platform.Resolve(path);
        using var client = platform.Gateway.CreateClient();
        var plain = await client.GetByteArrayAsync(path);

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        using var response = await client.SendAsync(request);
        var compressed = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(encoding, Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.True(compressed.Length < plain.Length, $"{compressed.Length} bytes compressed, {plain.Length} plain");
        await using Stream decoder = encoding == "br"
            ? new BrotliStream(new MemoryStream(compressed), CompressionMode.Decompress)
            : new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var decoded = new MemoryStream();
        await decoder.CopyToAsync(decoded);
        Assert.Equal(Encoding.UTF8.GetString(plain), Encoding.UTF8.GetString(decoded.ToArray()));
    }

    [Fact]
    public async Task A_burst_of_identical_anonymous_reads_costs_the_service_one_flight()
    {
        var artist = $"Burst-{Guid.NewGuid():N}";
        using var flights = new FlightRecorder(platform.Catalog.Services, request => request.Query["artist"] == artist);
        using var client = platform.Gateway.CreateClient();

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.GetAsync($"/api/catalog/concerts?artist={artist}")));
        var burst = System.Diagnostics.Stopwatch.GetElapsedTime(started);

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        await Polling.UntilAsync(() => Task.FromResult(flights.Finished >= 1 && flights.InFlight == 0), TimeSpan.FromSeconds(5));
        output.WriteLine($"100 identical reads in {burst.TotalMilliseconds:0} ms: {flights.Finished} call(s) at the Catalog, at most {flights.MostAtOnce} at once");

        // One flight per key: the reads that come while the Catalog is being asked wait for its answer, never ask too.
        Assert.Equal(1, flights.MostAtOnce);
        // One call per lifetime of the kept list (a burst that outlasts it, on a very busy box, may ask once more), and
        // one more at most: ASP.NET's output cache looks for a kept answer before it joins the flight in progress, so a
        // read that found nothing just as the flight landed starts the next one (OutputCacheMiddleware.InvokeAwaited).
        var lifetimes = 1 + (int)(burst / Ticketing.Catalog.Concerts.ConcertCaching.ListMaxAge);
        Assert.InRange(flights.Finished, 1, lifetimes + 1);
    }

    [Theory]
    [InlineData("GET", "/api/tickets/mine")]
    [InlineData("GET", "/api/orders/mine")]
    [InlineData("GET", "/api/tickets/holds/{hold}")]
    [InlineData("GET", "/api/orders/{order}")]
    [InlineData("POST", "/auth/token")]
    public async Task Personal_answers_carry_no_store_and_are_never_served_from_the_cache(string method, string path)
    {
        using var fan = platform.Fan(GatewayFixture.Owner);
        path = platform.Resolve(path);

        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
            {
                request.Content = JsonContent.Create(new { userName = GatewayFixture.Owner, role = "fan" });
            }

            using var response = await fan.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore, $"{method} {path}: Cache-Control {response.Headers.CacheControl}");
            Assert.False(response.Headers.CacheControl?.Public);
            Assert.Null(response.Headers.Age); // an answer from the output cache carries its Age
        }
    }

    [Fact]
    public async Task An_operators_change_shows_at_once_through_the_gateway_and_drafts_are_never_public()
    {
        using var anonymous = platform.Gateway.CreateClient();
        using var op = platform.Operator();
        using var created = await op.PostAsJsonAsync("/api/catalog/concerts", GatewayFixture.ConcertBody());
        var id = (await created.ReadJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var list = "/api/catalog/concerts?pageSize=100";
        var before = await anonymous.GetFromJsonAsync<JsonElement>(list); // now kept by the gateway for up to a minute

        using var draft = await anonymous.GetAsync($"/api/catalog/concerts/{id}");
        using var operatorsDraft = await op.GetAsync($"/api/catalog/concerts/{id}");
        (await op.PostAsync($"/api/catalog/concerts/{id}/publish", null)).EnsureSuccessStatusCode();
        var after = await anonymous.GetFromJsonAsync<JsonElement>(list);

        Assert.Equal(HttpStatusCode.NotFound, draft.StatusCode);
        Assert.True(operatorsDraft.Headers.CacheControl?.NoStore);
        Assert.True(operatorsDraft.Headers.CacheControl?.Private);
        Assert.DoesNotContain(before.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetGuid() == id);
        var listed = Assert.Single(after.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetGuid() == id);
        Assert.False(listed.TryGetProperty("sections", out _), "list items carry no seat map");
        Assert.Equal("Published", listed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_hold_moves_the_seat_state_version_and_its_commit_pushes_the_delta_to_a_listener()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var listener = platform.Gateway.CreateClient();
        listener.Timeout = Timeout.InfiniteTimeSpan;
        using var response = await listener.GetAsync(Concert("seat-state/stream"), HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = SseParser.Create(await response.Content.ReadAsStreamAsync(cancel.Token)).EnumerateAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("snapshot", events.Current.EventType);
        var snapshot = JsonDocument.Parse(events.Current.Data).RootElement;
        var version = snapshot.GetProperty("version").GetInt64();
        var layout = await listener.GetFromJsonAsync<JsonElement>(Concert("layout"));

        var heldAt = DateTimeOffset.UtcNow;
        await platform.HoldAsync("fan-listened-to", "A-2-25", "A-2-26");

        JsonElement delta;
        do
        {
            Assert.True(await events.MoveNextAsync());
            delta = JsonDocument.Parse(events.Current.Data).RootElement;
        }
        while (events.Current.EventType != "delta");

        var heardAfter = DateTimeOffset.UtcNow - heldAt;
        output.WriteLine($"delta {events.Current.Data} {heardAfter.TotalMilliseconds:0} ms after the hold was answered");
        Assert.Equal(version, delta.GetProperty("from").GetInt64());
        Assert.True(delta.GetProperty("version").GetInt64() > version);
        var change = Assert.Single(delta.GetProperty("changes").EnumerateArray());
        Assert.Equal("A", change.GetProperty("section").GetString());
        var rowOneSeats = layout.GetProperty("sections")[0].GetProperty("rows")[0].GetProperty("seats").GetInt32();
        Assert.Equal([rowOneSeats + 24, rowOneSeats + 25], change.GetProperty("at").EnumerateArray().Select(at => at.GetInt32()));
        Assert.Equal("hh", change.GetProperty("seats").GetString());
        Assert.True(heardAfter < TimeSpan.FromSeconds(5), $"heard {heardAfter.TotalMilliseconds:0} ms after the hold");

        var state = await listener.GetFromJsonAsync<JsonElement>(Concert("seat-state"));
        Assert.True(state.GetProperty("version").GetInt64() > version);
    }

    [Fact]
    public async Task A_seat_shown_free_by_a_cached_read_is_refused_by_the_hold_with_the_taken_seats_and_a_fresh_state_follows()
    {
        using var anonymous = platform.Gateway.CreateClient();
        const string seat = "A-2-30";
        var index = (await anonymous.GetFromJsonAsync<JsonElement>(Concert("layout"))).GetProperty("sections")[0].GetProperty("rows")[0].GetProperty("seats").GetInt32() + 29;
        var shown = await anonymous.GetFromJsonAsync<JsonElement>(Concert("seat-state"));
        Assert.Equal('a', shown.GetProperty("sections")[0].GetProperty("seats").GetString()![index]);

        await platform.HoldAsync("fan-quick", seat);
        using var cached = await anonymous.GetAsync(Concert("seat-state"));
        var stillShown = (await cached.ReadJsonAsync<JsonElement>()).GetProperty("sections")[0].GetProperty("seats").GetString()![index];
        output.WriteLine($"right after the hold a read (Age {cached.Headers.Age?.TotalSeconds.ToString() ?? "none"}) shows the seat '{stillShown}'");

        using var late = platform.Fan("fan-late");
        using var refused = await late.PostAsJsonAsync(Concert("holds"), new { seatIds = new[] { seat } });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.ReadJsonAsync<JsonElement>();
        Assert.Equal([seat], problem.GetProperty("seatIds").EnumerateArray().Select(s => s.GetString()));
        await Polling.UntilAsync(async () =>
        {
            var fresh = await anonymous.GetFromJsonAsync<JsonElement>(Concert("seat-state"));
            return fresh.GetProperty("sections")[0].GetProperty("seats").GetString()![index] == 'h';
        }, TimeSpan.FromSeconds(10));
    }

    /// <summary>Requests a service host answered on one route, counted from ASP.NET Core's own request metric.</summary>
    /// <summary>The requests a service host serves that match a filter: how many finished, and how many were in flight at once.</summary>
    private sealed class FlightRecorder : IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private const string Start = "Microsoft.AspNetCore.Hosting.HttpRequestIn.Start";
        private const string Stop = "Microsoft.AspNetCore.Hosting.HttpRequestIn.Stop";
        private readonly Func<HttpRequest, bool> counts;
        private readonly IDisposable subscription;
        private int inFlight;
        private int mostAtOnce;
        private int finished;

        public FlightRecorder(IServiceProvider services, Func<HttpRequest, bool> counts)
        {
            this.counts = counts;
            subscription = services.GetRequiredService<System.Diagnostics.DiagnosticListener>()
                .Subscribe(this, name => name is Start or Stop || name == "Microsoft.AspNetCore.Hosting.HttpRequestIn");
        }

        public int InFlight => Volatile.Read(ref inFlight);

        public int MostAtOnce => Volatile.Read(ref mostAtOnce);

        public int Finished => Volatile.Read(ref finished);

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Value is not HttpContext context || !counts(context.Request))
            {
                return;
            }

            if (value.Key == Start)
            {
                var now = Interlocked.Increment(ref inFlight);
                int most;
                while (now > (most = Volatile.Read(ref mostAtOnce)) && Interlocked.CompareExchange(ref mostAtOnce, now, most) != most)
                {
                }
            }
            else if (value.Key == Stop)
            {
                Interlocked.Decrement(ref inFlight);
                Interlocked.Increment(ref finished);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose() => subscription.Dispose();
    }
}
