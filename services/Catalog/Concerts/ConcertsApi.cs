using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Catalog.Shared;
using Ticketing.ServiceDefaults.Http;
using Ticketing.ServiceDefaults.OpenApi;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Catalog.Concerts;

public static class ConcertsApi
{
    public static RouteGroupBuilder MapConcerts(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/catalog/concerts").WithTags("Concerts");

        group.MapGet("/", ListConcerts).WithName(nameof(ListConcerts))
            .WithSummary("Concerts as a list shows them (no seat maps), soonest show first; filter by artist and status (drafts: operators only), search any name in any language with q.")
            .ProducesProblemWhen(StatusCodes.Status401Unauthorized, "status=Draft without a token.")
            .ProducesProblemWhen(StatusCodes.Status403Forbidden, "status=Draft asked by a fan: drafts are listed to operators only.");
        group.MapGet("/{id:guid}", GetConcert).WithName(nameof(GetConcert)).WithSummary("A concert with its seat map, prices and status (a draft: operators only).")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No such concert, or a draft asked by anyone but an operator.");

        // Anyone may read published and cancelled concerts; only operators see drafts and write the catalog.
        var writes = group.MapGroup("/").RequireAuthorization(Policies.Operator);
        writes.MapPost("/", CreateConcert).WithName(nameof(CreateConcert)).WithSummary("Draft a concert.");
        writes.MapPut("/{id:guid}", ReviseConcert).WithName(nameof(ReviseConcert)).WithSummary("Change a draft concert.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No such concert.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The concert is published or cancelled: only a draft changes.");
        writes.MapPost("/{id:guid}/publish", PublishConcert).WithName(nameof(PublishConcert)).WithSummary("Put a draft concert on sale from its saleOpensAt.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No such concert.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The concert was cancelled or has already started (publishing twice changes nothing).");
        writes.MapPost("/{id:guid}/cancel", CancelConcert).WithName(nameof(CancelConcert)).WithSummary("Call a concert off.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No such concert.");
        return group;
    }

    public static async Task<Results<CacheableJson<PagedResponse<ConcertSummaryResponse>>, ValidationProblem, ProblemHttpResult>> ListConcerts(
        HttpContext context,
        IQuerySession session,
        TimeProvider time,
        string? artist,
        string? status,
        string? q,
        int? page,
        int? pageSize,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        Paging.Validate(errors, page, pageSize);
        // Parsed here rather than bound as an enum, so a wrong value is answered with the values there are.
        var only = Enum.GetValues<ConcertStatus>()
            .Where(value => string.Equals(value.ToString(), status?.Trim(), StringComparison.OrdinalIgnoreCase))
            .Select(value => (ConcertStatus?)value)
            .FirstOrDefault();
        if (!string.IsNullOrWhiteSpace(status) && only is null)
        {
            errors.Add("status", $"One of {string.Join(", ", Enum.GetNames<ConcertStatus>())}.");
        }

        var search = string.IsNullOrWhiteSpace(q) ? null : CatalogSearch.Fold(q);
        if (search is { Length: > CatalogSearch.MaxQueryLength })
        {
            errors.Add("q", $"At most {CatalogSearch.MaxQueryLength} characters.");
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var drafts = only == ConcertStatus.Draft;
        if (drafts && !FanIdentity.IsOperator(context))
        {
            return DraftsForOperators(context);
        }

        IQueryable<Concert> query = session.Query<Concert>();
        if (!string.IsNullOrWhiteSpace(artist))
        {
            var wanted = artist.Trim();
            query = query.Where(concert => concert.Details.Artist.Equals(wanted, StringComparison.OrdinalIgnoreCase));
        }

        // Any name in any language: the artist's, the title's, the venue's or the city's (see Concert.SearchText).
        if (search is not null)
        {
            query = query.Where(concert => concert.SearchText.Contains(search));
        }

        // Drafts are the organiser's work in progress: listed only to operators, and only when asked for by status.
        query = only is { } listed
            ? query.Where(concert => concert.Status == listed)
            : query.Where(concert => concert.Status != ConcertStatus.Draft);

        var pageNumber = page ?? 1;
        var size = pageSize ?? Paging.DefaultPageSize;
        var concerts = await query
            .OrderBy(concert => concert.Details.StartsAt)
            .ThenBy(concert => concert.Id)
            .ToPagedListAsync(pageNumber, size, cancellationToken);
        var now = time.GetUtcNow();
        var summaries = new PagedResponse<ConcertSummaryResponse>(
            concerts.Select(concert => ConcertSummaryResponse.From(concert, now)).ToList(), pageNumber, size, concerts.TotalItemCount);
        return drafts ? CacheableJson.Private(summaries) : CacheableJson.Public(summaries, ConcertCaching.MaxAge(concerts, now, ConcertCaching.ListMaxAge));
    }

    public static async Task<Results<CacheableJson<ConcertResponse>, ProblemHttpResult>> GetConcert(
        Guid id, HttpContext context, IQuerySession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var concert = id == Guid.Empty ? null : await session.LoadAsync<Concert>(id, cancellationToken);
        if (concert is null || (concert.Status == ConcertStatus.Draft && !FanIdentity.IsOperator(context)))
        {
            return NotFound(id); // a draft is not announced yet: to anyone else it does not exist
        }

        var now = time.GetUtcNow();
        var response = ConcertResponse.From(concert, now);
        return concert.Status == ConcertStatus.Draft
            ? CacheableJson.Private(response)
            : CacheableJson.Public(response, ConcertCaching.MaxAge([concert], now));
    }

    private static ProblemHttpResult DraftsForOperators(HttpContext context) => FanIdentity.FanId(context) is null
        ? TypedResults.Problem(title: "Sign in first", detail: "Draft concerts are listed for operators only.", statusCode: StatusCodes.Status401Unauthorized)
        : TypedResults.Problem(title: "Operators only", detail: "Draft concerts are listed for operators only.", statusCode: StatusCodes.Status403Forbidden);

    public static async Task<Results<Created<ConcertResponse>, ValidationProblem>> CreateConcert(
        ConcertRequest? request, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (details, errors) = ConcertValidation.Validate(request, now);
        if (details is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var drafted = new ConcertDrafted(Guid.CreateVersion7(), details, now);
        session.Events.StartStream<Concert>(drafted.ConcertId, drafted);
        await session.SaveChangesAsync(cancellationToken);
        var concert = Concert.Create(drafted) with { Version = 1 };
        return TypedResults.Created($"/api/catalog/concerts/{concert.Id}", ConcertResponse.From(concert, now));
    }

    public static async Task<Results<Ok<ConcertResponse>, ValidationProblem, ProblemHttpResult>> ReviseConcert(
        Guid id, ConcertRequest? request, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (details, errors) = ConcertValidation.Validate(request, now);
        if (details is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        return await Decide(id, session, concert => ConcertDecisions.Revise(concert, details, now), now, cancellationToken);
    }

    public static Task<Results<Ok<ConcertResponse>, ValidationProblem, ProblemHttpResult>> PublishConcert(
        Guid id, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return Decide(id, session, concert => ConcertDecisions.Publish(concert, now), now, cancellationToken);
    }

    public static Task<Results<Ok<ConcertResponse>, ValidationProblem, ProblemHttpResult>> CancelConcert(
        Guid id, CancelConcertRequest? request, IDocumentSession session, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (request?.Reason is { Length: > 500 })
        {
            return Task.FromResult<Results<Ok<ConcertResponse>, ValidationProblem, ProblemHttpResult>>(
                TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["At most 500 characters."] }));
        }

        return Decide(id, session, concert => ConcertDecisions.Cancel(concert, request?.Reason, now), now, cancellationToken);
    }

    private static async Task<Results<Ok<ConcertResponse>, ValidationProblem, ProblemHttpResult>> Decide<TEvent>(
        Guid id,
        IDocumentSession session,
        Func<Concert, Decision<TEvent>> decide,
        DateTimeOffset now,
        CancellationToken cancellationToken)
        where TEvent : class
    {
        // Marten refuses a stream id of all zeros; no concert has it.
        if (id == Guid.Empty)
        {
            return NotFound(id);
        }

        var stream = await session.Events.FetchForWriting<Concert>(id, cancellationToken);
        if (stream.Aggregate is not { } concert)
        {
            return NotFound(id);
        }

        var decision = decide(concert);
        if (decision.ConflictDetail is { } conflict)
        {
            return TypedResults.Problem(title: "The concert cannot be changed that way", detail: conflict, statusCode: StatusCodes.Status409Conflict);
        }

        if (decision.Event is { } @event)
        {
            stream.AppendOne(@event);
            await session.SaveChangesAsync(cancellationToken);
            concert = (await session.LoadAsync<Concert>(id, cancellationToken))!;
        }

        return TypedResults.Ok(ConcertResponse.From(concert, now));
    }

    private static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem(title: "Concert not found", detail: $"There is no concert {id}.", statusCode: StatusCodes.Status404NotFound);
}
