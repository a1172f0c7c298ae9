using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Ticketing.Contracts.Queue;
using Ticketing.Queue.Drops;
using Ticketing.Queue.Operations;
using Ticketing.ServiceDefaults.Http;
using Ticketing.ServiceDefaults.OpenApi;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Queue.Entries;

/// <summary>A join; <c>MembershipCode</c> only for a members-only presale.</summary>
public sealed record JoinRequest(string? MembershipCode);

public static class EntriesApi
{
    /// <summary>A fan's place as the API answers it: the view, with a freshly signed pass while admitted.</summary>
    public static EntryResponse Answer(EntryView view, DropState drop, AdmissionPasses passes) => new(
        view.EntryId,
        view.DropId,
        view.Status,
        view.Position,
        view.AheadOfYou,
        view.EstimatedWaitSeconds,
        view.Status == EntryStatuses.Admitted && view.PassExpiresAt is { } expires
            ? passes.Issue(new AdmissionPassClaims(view.DropId, view.EntryId, view.FanId, expires))
            : null,
        view.Status == EntryStatuses.Admitted ? view.PassExpiresAt : null,
        drop.KindName,
        view.Room,
        view.JoinedAt,
        view.DrawAt,
        view.QueueLength,
        view.Paused);

    public const int MaxCodeLength = 64;

    /// <summary>Pushes at most this often to one stream, however often the queue moves.</summary>
    private static readonly TimeSpan StreamMinimumGap = TimeSpan.FromMilliseconds(500);

    /// <summary>A stream sends the fan's place at least this often (waits count down, proxies keep it open).</summary>
    private static readonly TimeSpan StreamRefresh = TimeSpan.FromSeconds(5);

    public static RouteGroupBuilder MapEntries(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/queue/{dropId:guid}/entries").WithTags("Waiting room").RequireAuthorization(Policies.Fan);
        group.MapPost("/", Join).WithName(nameof(Join))
            .WithSummary("Join the drop's waiting room: 201 with a new place, 200 with the place the fan already has.")
            .Produces<EntryResponse>(StatusCodes.Status201Created).Produces<EntryResponse>()
            .ProducesValidationProblem()
            .ProducesProblemWhen(StatusCodes.Status403Forbidden, "The role is not fan, or reason members_only: a presale for members, and the caller is not one and sent no unused membership code (with generalJoinOpensAt).")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No drop with a waiting room has this id.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "reason not_open (with opensAt) or closed.");
        group.MapGet("/mine", Mine).WithName(nameof(Mine)).WithSummary("The caller's place, live: position, fans ahead, estimated wait, the pass once admitted.")
            .Produces<EntryResponse>().ProducesProblemWhen(StatusCodes.Status404NotFound, "No drop with a waiting room has this id, or the caller has not joined it.");
        group.MapGet("/mine/stream", StreamMine).WithName(nameof(StreamMine))
            .WithSummary("Server-sent events 'entry' (the same shape as /mine) whenever it changes, and at least every 5 s.")
            .Produces<EntryResponse>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No drop with a waiting room has this id, or the caller has not joined it.");
        return group;
    }

    public static async Task<IResult> Join(
        Guid dropId,
        JoinRequest? request,
        HttpContext context,
        DropStates drops,
        JoinRecorder joins,
        AdmissionPasses passes,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (FanIdentity.FanId(context) is not { } fanId)
        {
            return FanIdentity.Anonymous();
        }

        var code = request?.MembershipCode?.Trim();
        if (code is { Length: 0 })
        {
            code = null;
        }

        if (code is not null && !MembershipCodes.IsWellFormed(code))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["membershipCode"] = [$"A membership code has 4 to {MaxCodeLength} letters, digits or dashes."],
            });
        }

        if (await drops.FindOrReadAsync(dropId, cancellationToken) is not { } drop)
        {
            return NoWaitingRoom(dropId);
        }

        var now = time.GetUtcNow();
        var codeHash = code is null ? null : MembershipCodes.Hash(code);
        switch (drop.JoinTargetOf(fanId, codeHash, now))
        {
            case JoinTarget.Existing existing:
                SendPlace(context, existing.Entry);
                return TypedResults.Ok(Answer(drop.View(existing.Entry, now), drop, passes));
            case JoinTarget.NotOpen notOpen:
                return Problem(StatusCodes.Status409Conflict, "The waiting room is not open yet",
                    $"You can join from {notOpen.OpensAt:yyyy-MM-ddTHH:mm:ssZ}.", QueueReasons.NotOpen, new() { ["opensAt"] = notOpen.OpensAt });
            case JoinTarget.MembersOnly membersOnly:
                return MembersOnly(membersOnly.CodeUsed, membersOnly.GeneralJoinOpensAt);
            case JoinTarget.Closed closed:
                return Problem(StatusCodes.Status409Conflict, "The waiting room is closed", $"This drop has ended ({closed.Reason}).", QueueReasons.Closed, []);
            case JoinTarget.NewEntry newEntry:
                var written = await joins.RecordAsync(dropId, new JoinAttempt(fanId, newEntry.Room, newEntry.CodeHash), CancellationToken.None);
                now = time.GetUtcNow();
                if (drop.EntryIn(newEntry.Room, fanId) is not { } entry)
                {
                    // The stream refused the join: another fan used this one-time code first.
                    return MembersOnly(codeUsed: true, null);
                }

                var response = Answer(drop.View(entry, now), drop, passes);
                SendPlace(context, entry);
                return entry.Id == written
                    ? TypedResults.Created($"/api/queue/{dropId}/entries/mine", response)
                    : TypedResults.Ok(response);
            default:
                return NoWaitingRoom(dropId);
        }
    }

    public static async Task<IResult> Mine(Guid dropId, HttpContext context, DropStates drops, AdmissionPasses passes, TimeProvider time, CancellationToken cancellationToken)
    {
        if (FanIdentity.FanId(context) is not { } fanId)
        {
            return FanIdentity.Anonymous();
        }

        if (await drops.FindOrReadAsync(dropId, cancellationToken) is not { } drop)
        {
            return NoWaitingRoom(dropId);
        }

        if (await EntryOfAsync(drop, fanId, drops, cancellationToken) is not { } entry)
        {
            return NotJoined(dropId);
        }

        SendPlace(context, entry);
        return TypedResults.Ok(Answer(drop.View(entry, time.GetUtcNow()), drop, passes));
    }

    /// <summary>
    /// <c>GET /internal/queue/{dropId}/board</c>: what the gateway needs to answer general-room places itself
    /// (<see cref="QueueBoard"/>). Not routed by the gateway; the gateway reads it from an instance directly.
    /// </summary>
    public static IEndpointRouteBuilder MapQueueBoard(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/internal/queue/{dropId:guid}/board", async (Guid dropId, DropStates drops, TimeProvider time, CancellationToken cancellationToken) =>
                await drops.FindOrReadAsync(dropId, cancellationToken) is { } drop ? Results.Ok(drop.Board(time.GetUtcNow())) : NoWaitingRoom(dropId))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return routes;
    }

    /// <summary>The general room's place, for the gateway (<see cref="QueuePlace.HeaderName"/>; the gateway removes it).</summary>
    private static void SendPlace(HttpContext context, Entry entry)
    {
        if (DropState.PlaceOf(entry) is { } place)
        {
            context.Response.Headers[QueuePlace.HeaderName] = place.ToString();
        }
    }

    public static async Task<IResult> StreamMine(
        Guid dropId, HttpContext context, DropStates drops, AdmissionPasses passes, TimeProvider time, CancellationToken cancellationToken)
    {
        if (FanIdentity.FanId(context) is not { } fanId)
        {
            return FanIdentity.Anonymous();
        }

        if (await drops.FindOrReadAsync(dropId, cancellationToken) is not { } drop)
        {
            return NoWaitingRoom(dropId);
        }

        if (await EntryOfAsync(drop, fanId, drops, cancellationToken) is null)
        {
            return NotJoined(dropId);
        }

        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(Updates(drop, fanId, passes, time, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<EntryResponse>> Updates(
        DropState drop, string fanId, AdmissionPasses passes, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        EntryResponse? last = null;
        var lastSent = DateTimeOffset.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            var change = drop.NextChange;
            var now = time.GetUtcNow();
            if (drop.EntryOf(fanId) is { } entry)
            {
                var current = Answer(drop.View(entry, now), drop, passes);
                if (current != last || now - lastSent >= StreamRefresh)
                {
                    yield return new SseItem<EntryResponse>(current, "entry");
                    last = current;
                    lastSent = now;
                }
            }

            try
            {
                await Task.Delay(StreamMinimumGap, time, cancellationToken);
                await change.WaitAsync(StreamRefresh - StreamMinimumGap, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // nothing moved: send the place again (the estimate counts down)
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <summary>The fan's entry; a miss reads the stream once, in case they joined through another instance a moment ago.</summary>
    private static async Task<Entry?> EntryOfAsync(DropState drop, string fanId, DropStates drops, CancellationToken cancellationToken)
    {
        if (drop.EntryOf(fanId) is { } entry)
        {
            return entry;
        }

        await drops.CatchUpAsync(drop.DropId, cancellationToken);
        return drop.EntryOf(fanId);
    }

    private static IResult MembersOnly(bool codeUsed, DateTimeOffset? generalJoinOpensAt) => Problem(
        StatusCodes.Status403Forbidden,
        "Members only",
        codeUsed
            ? "This membership code was already used by someone else; a code works once."
            : "The presale is for fan-club members: sign in with a member account or send a valid membership code." +
              (generalJoinOpensAt is { } at ? $" The general sale's queue opens at {at:yyyy-MM-ddTHH:mm:ssZ}." : ""),
        QueueReasons.MembersOnly,
        generalJoinOpensAt is { } opens ? new() { ["generalJoinOpensAt"] = opens } : []);

    internal static IResult NoWaitingRoom(Guid dropId) => TypedResults.Problem(
        title: "No waiting room",
        detail: $"There is no drop {dropId} with a waiting room.",
        statusCode: StatusCodes.Status404NotFound);

    private static IResult NotJoined(Guid dropId) => TypedResults.Problem(
        title: "Not in the queue",
        detail: $"You have not joined the waiting room of {dropId}.",
        statusCode: StatusCodes.Status404NotFound);

    internal static IResult Problem(int status, string title, string detail, string reason, Dictionary<string, object?> extensions)
    {
        extensions["reason"] = reason;
        return TypedResults.Problem(title: title, detail: detail, statusCode: status, extensions: extensions);
    }
}

/// <summary>The <c>reason</c> codes of the waiting room's problems.</summary>
public static class QueueReasons
{
    public const string NotOpen = "not_open";
    public const string MembersOnly = "members_only";
    public const string Closed = "closed";
    public const string AlreadyScheduled = "presale_already_scheduled";
    public const string SaleOpened = "sale_opened";
}
