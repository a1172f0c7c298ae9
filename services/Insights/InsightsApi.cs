using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Ticketing.Insights.Live;
using Ticketing.Insights.Overview;
using Ticketing.ServiceDefaults.OpenApi;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Insights;

/// <summary>Operator-only read API of the sales read models, and the live stream of the overview.</summary>
public static class InsightsApi
{
    /// <summary>A comment-free keep-alive: proxies (YARP's 100 s activity time-out) keep quiet streams open.</summary>
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static RouteGroupBuilder MapInsights(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/insights").WithTags("Insights").RequireAuthorization(Policies.Operator);
        group.MapGet("/overview", GetOverview).WithName(nameof(GetOverview)).WithSummary("Orders, payments, revenue, concerts, products, recent and stuck orders, alerts.")
            .Produces<OverviewResponse>();
        group.MapGet("/concerts/{id:guid}", GetConcert).WithName(nameof(GetConcert)).WithSummary("A concert's sales by tier and section, with the status of every seat.")
            .Produces<ConcertInsightsResponse>().ProducesProblemWhen(StatusCodes.Status404NotFound, "No sales were recorded for this concert.");
        group.MapGet("/products/{id:guid}", GetProduct).WithName(nameof(GetProduct)).WithSummary("A product's stock, sales and recent orders.")
            .Produces<ProductInsightsResponse>().ProducesProblemWhen(StatusCodes.Status404NotFound, "No sales were recorded for this product.");
        group.MapGet("/stream", StreamOverview).WithName(nameof(StreamOverview))
            .WithSummary("Server-sent events: 'overview' with the whole overview on every change, 'heartbeat' every 15 s.")
            .Produces<OverviewResponse>(StatusCodes.Status200OK, "text/event-stream");
        return group;
    }

    public static async Task<IResult> GetOverview(InsightsQueries queries, LiveOverviewFeed feed, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.OverviewAsync(await feed.CurrentVersionAsync(cancellationToken), cancellationToken));

    public static async Task<IResult> GetConcert(Guid id, InsightsQueries queries, LiveOverviewFeed feed, CancellationToken cancellationToken) =>
        await queries.ConcertAsync(id, await feed.CurrentVersionAsync(cancellationToken), cancellationToken) is { } concert
            ? TypedResults.Ok(concert)
            : TypedResults.Problem(title: "Concert not found", detail: $"No sales were recorded for concert {id}.", statusCode: StatusCodes.Status404NotFound);

    public static async Task<IResult> GetProduct(Guid id, InsightsQueries queries, LiveOverviewFeed feed, CancellationToken cancellationToken) =>
        await queries.ProductAsync(id, await feed.CurrentVersionAsync(cancellationToken), cancellationToken) is { } product
            ? TypedResults.Ok(product)
            : TypedResults.Problem(title: "Product not found", detail: $"No sales were recorded for product {id}.", statusCode: StatusCodes.Status404NotFound);

    public static IResult StreamOverview(LiveOverviewFeed feed, HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(Events(feed, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<object>> Events(LiveOverviewFeed feed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = feed.Subscribe();
        if (subscription.Latest is { } latest)
        {
            yield return new SseItem<object>(latest, "overview");
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            using var beat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            beat.CancelAfter(Heartbeat);
            var ready = false;
            try
            {
                ready = await subscription.Updates.WaitToReadAsync(beat.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Quiet for a while: a heartbeat below.
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (!ready)
            {
                yield return new SseItem<object>(new { at = DateTimeOffset.UtcNow }, "heartbeat");
                continue;
            }

            while (subscription.Updates.TryRead(out var update))
            {
                yield return new SseItem<object>(update, "overview");
            }
        }
    }
}
