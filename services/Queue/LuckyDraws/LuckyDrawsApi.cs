using Marten;
using Ticketing.Queue.Fairness;
using Ticketing.ServiceDefaults.Http;
using Ticketing.ServiceDefaults.Persistence;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Queue.LuckyDraws;

/// <summary>An operator opens a lucky draw for a product (one listed with <c>soldByLuckyDraw</c>).</summary>
public sealed record OpenLuckyDrawRequest(
    Guid? ProductId, string? Title, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, int? Winners, int? ClaimMinutes, bool? MembersOnly, IReadOnlyList<string?>? MemberIds);

public sealed record PurchaseRightView(int Rank, Guid EntryId, string Status, DateTimeOffset ExpiresAt);

/// <summary>
/// A draw as anyone may see it: the commitment from the start; once drawn, the seed, the algorithm and the rights in
/// drawn order (entry ids only, never fan ids), so that with the entry list anyone recomputes the winners.
/// </summary>
public sealed record LuckyDrawResponse(
    Guid DrawId,
    Guid ProductId,
    string Title,
    DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt,
    int Winners,
    int ClaimMinutes,
    bool MembersOnly,
    string Status,
    string Commitment,
    string Algorithm,
    string AlgorithmText,
    string? Seed,
    DateTimeOffset? DrawnAt,
    int Entries,
    IReadOnlyList<PurchaseRightView> Rights)
{
    public static LuckyDrawResponse From(LuckyDraw draw, int entries) => new(
        draw.Id, draw.ProductId, draw.Title, draw.OpensAt, draw.ClosesAt, draw.Winners, draw.ClaimMinutes, draw.MembersOnly,
        draw.Status == LuckyDrawStatus.Open ? "open" : "drawn",
        draw.Commitment,
        LuckyDrawOrder.Algorithm,
        LuckyDrawOrder.AlgorithmText,
        draw.Status == LuckyDrawStatus.Drawn ? draw.Seed : null,
        draw.DrawnAt,
        entries,
        draw.Rights.Select(right => new PurchaseRightView(right.Rank, right.EntryId, Name(right.Status), right.ExpiresAt)).ToList());

    public static string Name(PurchaseRightStatus status) => status switch
    {
        PurchaseRightStatus.Granted => "granted",
        PurchaseRightStatus.Claimed => "claimed",
        _ => "lapsed",
    };
}

/// <summary>The entries of a draw in entry order: what the winners are recomputed from.</summary>
public sealed record LuckyDrawEntriesResponse(Guid DrawId, int Count, IReadOnlyList<Guid> EntryIds);

/// <summary>
/// A fan's entry and its result: <c>entered</c> (the draw is still to come), <c>won</c> (with the purchase pass for
/// checkout, sent as <c>X-Admission-Pass</c>, and its deadline), <c>claimed</c>, <c>lapsed</c>, or <c>waiting</c> (not
/// drawn yet: <c>waitingPlace</c> entries ahead get a right before this one, if rights lapse).
/// </summary>
public sealed record LuckyDrawEntryResponse(
    Guid DrawId, Guid ProductId, Guid EntryId, DateTimeOffset EnteredAt, string Result, int? Rank, int? WaitingPlace, string? PurchasePass, DateTimeOffset? PurchaseBy, Guid? OrderId);

/// <summary>What operators watch: entries, and how the rights went.</summary>
public sealed record LuckyDrawCounters(
    Guid DrawId, Guid ProductId, string Title, string Status, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, int Winners, int Entries, int Granted, int Claimed, int Lapsed);

public static class LuckyDrawsApi
{
    public const int MaxWinners = 100_000;
    public const int MaxMembers = 100_000;

    public static RouteGroupBuilder MapLuckyDraws(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/queue/lucky-draws").WithTags("Lucky draws");

        // The draw and its entries are public: anyone may check the winners.
        group.MapGet("/{drawId:guid}", GetLuckyDraw).AllowAnonymous().WithName(nameof(GetLuckyDraw))
            .WithSummary("The draw: its commitment; once drawn, the seed, the algorithm and the purchase rights in drawn order.");
        group.MapGet("/{drawId:guid}/entries", GetLuckyDrawEntries).AllowAnonymous().WithName(nameof(GetLuckyDrawEntries))
            .WithSummary("Every entry id in entry order, to recompute the drawn order from the published seed.");
        group.MapGet("/", ListLuckyDraws).AllowAnonymous().WithName(nameof(ListLuckyDraws))
            .WithSummary("Draws, newest first; ?productId= for one product's.");

        group.MapPost("/{drawId:guid}/entries", EnterLuckyDraw).RequireAuthorization(Policies.Fan).WithName(nameof(EnterLuckyDraw))
            .WithSummary("Enter the draw (once per fan): 201 with the entry, 200 with the one made before.");
        group.MapGet("/{drawId:guid}/entries/mine", MyLuckyDrawEntry).RequireAuthorization(Policies.Fan).NoStore().WithName(nameof(MyLuckyDrawEntry))
            .WithSummary("The caller's entry and its result; a winner's purchase pass.");

        var operators = group.MapGroup("/").RequireAuthorization(Policies.Operator);
        operators.MapPost("/", OpenLuckyDraw).WithName(nameof(OpenLuckyDraw)).WithSummary("Open a lucky draw for a product.");
        operators.MapGet("/counters", LuckyDrawCountersList).WithName(nameof(LuckyDrawCountersList)).WithSummary("Entries and claims of every draw.");
        return group;
    }

    public static async Task<IResult> OpenLuckyDraw(OpenLuckyDrawRequest? request, HttpContext context, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (request?.ProductId is not { } productId || productId == Guid.Empty)
        {
            errors["productId"] = ["Required."];
        }

        var opensAt = (request?.OpensAt ?? now).ToUniversalTime();
        if (request?.ClosesAt is not { } closesAt)
        {
            errors["closesAt"] = ["Required: when entries close and the draw happens."];
        }
        else if (closesAt <= opensAt || closesAt <= now || closesAt > now.AddDays(90))
        {
            errors["closesAt"] = ["Must be after opensAt and now, and within 90 days."];
        }

        if (request?.Winners is not { } winners || winners is < 1 or > MaxWinners)
        {
            errors["winners"] = [$"Between 1 and {MaxWinners:N0}."];
        }

        if (request?.ClaimMinutes is < 1 or > 10_080)
        {
            errors["claimMinutes"] = ["Between 1 and 10,080 (a week); left out, 60."];
        }

        if (request?.Title is { Length: > 200 })
        {
            errors["title"] = ["At most 200 characters."];
        }

        var members = request?.MemberIds?.Select(id => id?.Trim()).ToList() ?? [];
        if (members.Count > MaxMembers || members.Any(id => id is not { Length: > 0 and <= 100 }))
        {
            errors["memberIds"] = [$"At most {MaxMembers:N0} fan ids of 1 to 100 characters."];
        }
        else if (request?.MembersOnly == true && members.Count == 0)
        {
            errors["memberIds"] = ["A members-only draw needs its members' fan ids."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var seed = Draw.NewSeed();
        var draw = new LuckyDraw
        {
            Id = Guid.CreateVersion7(),
            ProductId = request!.ProductId!.Value,
            Title = string.IsNullOrWhiteSpace(request.Title) ? "Lucky draw" : request.Title.Trim(),
            OpensAt = opensAt,
            ClosesAt = request.ClosesAt!.Value.ToUniversalTime(),
            Winners = request.Winners!.Value,
            ClaimMinutes = request.ClaimMinutes ?? 60,
            MembersOnly = request.MembersOnly ?? false,
            Members = members.OfType<string>().Distinct().ToList(),
            Seed = seed,
            Commitment = Draw.Commitment(seed),
            Status = LuckyDrawStatus.Open,
            OpenedBy = FanIdentity.FanId(context) ?? "operator",
            OpenedAt = now,
        };
        session.Insert(draw);
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/queue/lucky-draws/{draw.Id}", LuckyDrawResponse.From(draw, 0));
    }

    public static async Task<IResult> GetLuckyDraw(Guid drawId, IQuerySession session, CancellationToken cancellationToken)
    {
        if (await FindAsync(session, drawId, cancellationToken) is not { } draw)
        {
            return NoDraw(drawId);
        }

        return TypedResults.Ok(LuckyDrawResponse.From(draw, await EntryCountAsync(session, draw, cancellationToken)));
    }

    public static async Task<IResult> ListLuckyDraws(Guid? productId, IQuerySession session, CancellationToken cancellationToken)
    {
        IQueryable<LuckyDraw> query = session.Query<LuckyDraw>();
        if (productId is { } id)
        {
            query = query.Where(draw => draw.ProductId == id);
        }

        var draws = await query.OrderByDescending(draw => draw.OpenedAt).Take(100).ToListAsync(cancellationToken);
        var responses = new List<LuckyDrawResponse>();
        foreach (var draw in draws)
        {
            responses.Add(LuckyDrawResponse.From(draw, await EntryCountAsync(session, draw, cancellationToken)));
        }

        return TypedResults.Ok(responses);
    }

    public static async Task<IResult> GetLuckyDrawEntries(Guid drawId, IQuerySession session, LuckyDrawStore draws, CancellationToken cancellationToken)
    {
        if (await FindAsync(session, drawId, cancellationToken) is not { } draw)
        {
            return NoDraw(drawId);
        }

        var entries = await draws.EntriesAsync(draw.Id, cancellationToken);
        return TypedResults.Ok(new LuckyDrawEntriesResponse(draw.Id, entries.Count, entries.Select(entry => entry.EntryId).ToList()));
    }

    public static async Task<IResult> EnterLuckyDraw(
        Guid drawId, HttpContext context, IDocumentStore store, LuckyDrawStore draws, AdmissionPasses passes, TimeProvider time, CancellationToken cancellationToken)
    {
        if (FanIdentity.FanId(context) is not { } fanId)
        {
            return FanIdentity.Anonymous();
        }

        await using var session = store.LightweightSession();
        if (await FindAsync(session, drawId, cancellationToken) is not { } draw)
        {
            return NoDraw(drawId);
        }

        if (await session.LoadAsync<LuckyDrawEntry>(LuckyDrawEntry.IdFor(drawId, fanId), cancellationToken) is { } existing)
        {
            return TypedResults.Ok(await ResultAsync(draw, existing, draws, passes, cancellationToken));
        }

        var now = time.GetUtcNow();
        switch (LuckyDrawRules.EntryRefusal(draw, fanId, now))
        {
            case LuckyDrawReasons.NotOpen:
                return Problem(StatusCodes.Status409Conflict, "The draw is not open yet", $"Entries open at {draw.OpensAt:yyyy-MM-ddTHH:mm:ssZ}.", LuckyDrawReasons.NotOpen, new() { ["opensAt"] = draw.OpensAt });
            case LuckyDrawReasons.Closed:
                return Problem(StatusCodes.Status409Conflict, "The draw is closed", $"Entries closed at {draw.ClosesAt:yyyy-MM-ddTHH:mm:ssZ}.", LuckyDrawReasons.Closed, new() { ["closesAt"] = draw.ClosesAt });
            case LuckyDrawReasons.MembersOnly:
                return Problem(StatusCodes.Status403Forbidden, "Members only", "This draw is for fan-club members.", LuckyDrawReasons.MembersOnly, []);
        }

        var entry = new LuckyDrawEntry(LuckyDrawEntry.IdFor(drawId, fanId), drawId, Guid.NewGuid(), fanId, now);
        session.Insert(entry);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (Conflicts.IsConcurrencyConflict(exception))
        {
            // The same fan entered twice at once: the first entry stands.
            await using var again = store.QuerySession();
            var first = await again.LoadAsync<LuckyDrawEntry>(entry.Id, cancellationToken);
            return TypedResults.Ok(await ResultAsync(draw, first!, draws, passes, cancellationToken));
        }

        return TypedResults.Created($"/api/queue/lucky-draws/{drawId}/entries/mine", await ResultAsync(draw, entry, draws, passes, cancellationToken));
    }

    public static async Task<IResult> MyLuckyDrawEntry(
        Guid drawId, HttpContext context, IQuerySession session, LuckyDrawStore draws, AdmissionPasses passes, CancellationToken cancellationToken)
    {
        if (FanIdentity.FanId(context) is not { } fanId)
        {
            return FanIdentity.Anonymous();
        }

        if (await FindAsync(session, drawId, cancellationToken) is not { } draw)
        {
            return NoDraw(drawId);
        }

        return await session.LoadAsync<LuckyDrawEntry>(LuckyDrawEntry.IdFor(drawId, fanId), cancellationToken) is { } entry
            ? TypedResults.Ok(await ResultAsync(draw, entry, draws, passes, cancellationToken))
            : Problem(StatusCodes.Status404NotFound, "Not entered", "You have not entered this draw.", LuckyDrawReasons.NotEntered, []);
    }

    public static async Task<IResult> LuckyDrawCountersList(IQuerySession session, CancellationToken cancellationToken)
    {
        var draws = await session.Query<LuckyDraw>().OrderByDescending(draw => draw.OpenedAt).Take(100).ToListAsync(cancellationToken);
        var counters = new List<LuckyDrawCounters>();
        foreach (var draw in draws)
        {
            counters.Add(new LuckyDrawCounters(
                draw.Id, draw.ProductId, draw.Title, draw.Status == LuckyDrawStatus.Open ? "open" : "drawn", draw.OpensAt, draw.ClosesAt, draw.Winners,
                await EntryCountAsync(session, draw, cancellationToken),
                draw.Rights.Count(right => right.Status == PurchaseRightStatus.Granted),
                draw.Rights.Count(right => right.Status == PurchaseRightStatus.Claimed),
                draw.Rights.Count(right => right.Status == PurchaseRightStatus.Lapsed)));
        }

        return TypedResults.Ok(counters);
    }

    private static async Task<LuckyDrawEntryResponse> ResultAsync(LuckyDraw draw, LuckyDrawEntry entry, LuckyDrawStore draws, AdmissionPasses passes, CancellationToken cancellationToken)
    {
        if (draw.Status == LuckyDrawStatus.Open)
        {
            return new(draw.Id, draw.ProductId, entry.EntryId, entry.EnteredAt, "entered", null, null, null, null, null);
        }

        var order = await draws.DrawnOrderAsync(draw, cancellationToken);
        var rank = order.RankOf.GetValueOrDefault(entry.EntryId, -1);
        if (draw.Rights.FirstOrDefault(right => right.EntryId == entry.EntryId) is { } right)
        {
            var pass = right.Status == PurchaseRightStatus.Granted
                ? passes.Issue(new AdmissionPassClaims(draw.ProductId, entry.EntryId, entry.FanId, right.ExpiresAt))
                : null;
            var result = right.Status switch
            {
                PurchaseRightStatus.Granted => "won",
                PurchaseRightStatus.Claimed => "claimed",
                _ => "lapsed",
            };
            return new(draw.Id, draw.ProductId, entry.EntryId, entry.EnteredAt, result, rank, null, pass, right.ExpiresAt, right.OrderId);
        }

        return new(draw.Id, draw.ProductId, entry.EntryId, entry.EnteredAt, "waiting", rank, rank < 0 ? null : rank - draw.NextRank + 1, null, null, null);
    }

    private static async Task<LuckyDraw?> FindAsync(IQuerySession session, Guid drawId, CancellationToken cancellationToken) =>
        drawId == Guid.Empty ? null : await session.LoadAsync<LuckyDraw>(drawId, cancellationToken);

    private static async Task<int> EntryCountAsync(IQuerySession session, LuckyDraw draw, CancellationToken cancellationToken) =>
        draw.Status == LuckyDrawStatus.Drawn ? draw.EntryCount : await session.Query<LuckyDrawEntry>().CountAsync(entry => entry.DrawId == draw.Id, cancellationToken);

    private static IResult NoDraw(Guid drawId) => TypedResults.Problem(
        title: "No such draw", detail: $"There is no lucky draw {drawId}.", statusCode: StatusCodes.Status404NotFound);

    private static IResult Problem(int status, string title, string detail, string reason, Dictionary<string, object?> extensions)
    {
        extensions["reason"] = reason;
        return TypedResults.Problem(title: title, detail: detail, statusCode: status, extensions: extensions);
    }
}
