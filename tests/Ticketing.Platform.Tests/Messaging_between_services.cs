using System.Collections.Concurrent;
using System.Diagnostics;

namespace Ticketing.Platform.Tests;

public sealed class Messaging_between_services(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    [Fact]
    public async Task A_concert_published_in_the_catalog_reaches_tickets_through_the_broker()
    {
        using var operatorClient = platform.Operator();
        var concertId = await Demo.PublishConcertAsync(operatorClient);

        var seatMap = await Eventually.GetJsonAsync(platform.Client, $"/api/tickets/concerts/{concertId}/seats");

        var seats = seatMap.GetProperty("seats").EnumerateArray().ToList();
        Assert.Equal(30, seats.Count);
        Assert.All(seats, seat => Assert.Equal("available", seat.GetProperty("status").GetString()));
        Assert.Contains(seats, seat => seat.GetProperty("seatId").GetString() == "A-1-5"
            && seat.GetProperty("tier").GetString() == "VIP"
            && seat.GetProperty("price").GetDecimal() == 198000m);
    }

    [Fact]
    public async Task One_trace_spans_gateway_service_broker_and_consuming_service()
    {
        using var recorder = new ActivityRecorder();
        var traceId = ActivityTraceId.CreateRandom();
        using var publish = new HttpRequestMessage(HttpMethod.Post, "/");
        publish.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var operatorClient = platform.Operator();
        var concertId = await Demo.PublishConcertAsync(operatorClient, publish);
        await Eventually.GetJsonAsync(platform.Client, $"/api/tickets/concerts/{concertId}/seats");

        var trace = await recorder.WaitForAsync(traceId, spans =>
            spans.Any(span => span.Source.Name == "MassTransit" && span.Kind == ActivityKind.Consumer && Mentions(span, "tickets-")));
        var describe = string.Join("\n", trace.Select(span => $"{span.Source.Name} {span.Kind} {span.DisplayName}"));

        // The gateway's server span and the Catalog's server span for the same publish request.
        Assert.True(trace.Count(span => span.Source.Name == "Microsoft.AspNetCore" && span.Kind == ActivityKind.Server
            && span.DisplayName.Contains("publish", StringComparison.OrdinalIgnoreCase) || IsPublishRequest(span)) >= 2, describe);
        // The gateway's forward to the Catalog over HTTP.
        Assert.True(trace.Any(span => span.Kind == ActivityKind.Client && span.Source.Name == "System.Net.Http"
            && Mentions(span, platform.Catalog.Address.Port.ToString())), describe);
        // The outbox relay publishing to RabbitMQ, and Tickets consuming it.
        Assert.True(trace.Any(span => span.Source.Name == "Ticketing" && span.DisplayName.Contains("ConcertPublished")), describe);
        Assert.True(trace.Any(span => span.Source.Name == "MassTransit" && span.Kind == ActivityKind.Producer), describe);
        Assert.True(trace.Any(span => span.Source.Name == "MassTransit" && span.Kind == ActivityKind.Consumer && Mentions(span, "tickets-")), describe);
    }

    private static bool IsPublishRequest(Activity span) =>
        span.Source.Name == "Microsoft.AspNetCore" && span.Kind == ActivityKind.Server && Mentions(span, "/publish");

    private static bool Mentions(Activity span, string text) =>
        span.DisplayName.Contains(text, StringComparison.OrdinalIgnoreCase)
        || span.TagObjects.Any(tag => tag.Value?.ToString()?.Contains(text, StringComparison.OrdinalIgnoreCase) == true);
}

/// <summary>Collects every span of this process, to find one trace across the hosts running in it.</summary>
internal sealed class ActivityRecorder : IDisposable
{
    private readonly ActivityListener listener;
    private readonly ConcurrentQueue<Activity> stopped = new();

    public ActivityRecorder()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public Task<IReadOnlyList<Activity>> WaitForAsync(ActivityTraceId traceId, Func<IReadOnlyList<Activity>, bool> complete) =>
        Polling.SettledAsync(
            () => Task.FromResult<IReadOnlyList<Activity>>(stopped.Where(span => span.TraceId == traceId).ToList()), complete, TimeSpan.FromSeconds(15));

    public void Dispose() => listener.Dispose();
}

internal static class Eventually
{
    /// <summary>Polls a GET until it answers 200 (messages take a moment to cross the broker), then returns the body.</summary>
    public static async Task<JsonElement> GetJsonAsync(HttpClient client, string path, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        HttpStatusCode last = 0;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await client.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.ReadJsonAsync<JsonElement>();
            }

            last = response.StatusCode;
            await Task.Delay(50);
        }

        throw new TimeoutException($"GET {path} still answered {(int)last} after {timeout ?? TimeSpan.FromSeconds(15)}.");
    }
}
