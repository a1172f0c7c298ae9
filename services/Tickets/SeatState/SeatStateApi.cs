using Ticketing.ServiceDefaults.Http;
using Ticketing.ServiceDefaults.OpenApi;
using Ticketing.Tickets.Inventory;

namespace Ticketing.Tickets.SeatState;

/// <summary>
/// The seat map split into what never changes and what does, for anyone (no sign-in):
/// <list type="bullet">
/// <item><c>GET /api/tickets/concerts/{id}/layout</c>: sections, rows, seat numbers, tiers and prices; immutable.</item>
/// <item><c>GET /api/tickets/concerts/{id}/seat-state</c>: one letter per seat and section, with a version; a second old at most.</item>
/// <item><c>GET /api/tickets/concerts/{id}/seat-state/stream</c>: server-sent events: <c>snapshot</c> (the seat state),
/// then <c>delta</c> (what changed since the version named in <c>from</c>), at most one a second; <c>heartbeat</c> when quiet.</item>
/// </list>
/// </summary>
public static class SeatStateApi
{
    /// <summary>How long a seat state (and what is counted from it) may be kept by any cache.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    public static RouteGroupBuilder MapSeatState(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tickets/concerts/{concertId:guid}").WithTags("Seats");
        group.MapGet("/layout", GetLayout).WithName(nameof(GetLayout))
            .WithSummary("The venue as sold for this concert: sections, rows, seat numbers, tiers, prices. Never changes.")
            .Produces<SeatLayoutResponse>().ProducesNotModified().ProducesProblemWhen(StatusCodes.Status404NotFound, "No such concert on sale.");
        group.MapGet("/seat-state", GetSeatState).WithName(nameof(GetSeatState))
            .WithSummary("Every seat's status, one letter per seat (a, h, s) per section in layout order, with a version.")
            .Produces<SeatStateResponse>().ProducesNotModified().ProducesProblemWhen(StatusCodes.Status404NotFound, "No such concert on sale.");
        group.MapGet("/seat-state/stream", StreamSeatState).WithName(nameof(StreamSeatState))
            .WithSummary("Server-sent events: 'snapshot' first, then 'delta' at most once a second, 'heartbeat' every 15 s.")
            .Produces<SeatStateDelta>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No such concert on sale.");
        return group;
    }

    public static async Task<IResult> GetLayout(Guid concertId, SeatStateFeed feed, CancellationToken cancellationToken) =>
        await feed.LayoutAsync(concertId, cancellationToken) is { } layout
            ? new SerializedJson(layout.Json, CacheableJson.WeakTag(layout.Version), CacheControl.Immutable)
            : InventoryApi.NotFound(concertId);

    public static async Task<IResult> GetSeatState(Guid concertId, SeatStateFeed feed, CancellationToken cancellationToken) =>
        await feed.CurrentAsync(concertId, cancellationToken) is { } state
            ? new SerializedJson(state.Json(feed.Json), state.EntityTag, CacheControl.Public(MaxAge))
            : InventoryApi.NotFound(concertId);

    public static async Task<IResult> StreamSeatState(Guid concertId, HttpContext context, SeatStateFeed feed, CancellationToken cancellationToken)
    {
        if (await feed.SubscribeAsync(concertId, cancellationToken) is not { } subscription)
        {
            return InventoryApi.NotFound(concertId);
        }

        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Response.RegisterForDispose(subscription);
        return TypedResults.ServerSentEvents(subscription.ReadAllAsync(cancellationToken));
    }
}
