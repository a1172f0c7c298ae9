using System.Text;
using Ticketing.Queue.Drops;
using Ticketing.Queue.Entries;
using Ticketing.Queue.Fairness;
using Ticketing.ServiceDefaults.Http;
using Ticketing.ServiceDefaults.OpenApi;
using Ticketing.ServiceDefaults.Security;

namespace Ticketing.Queue.Operations;

public sealed record RateRequest(int? AdmissionsPerMinute, int? MaxActive);

public sealed record PresaleRequest(DateTimeOffset? EndsAt);

/// <summary>Presale members by request: fan ids, and one-time codes (each works once, for one fan).</summary>
public sealed record MembersRequest(IReadOnlyList<string?>? MemberIds, IReadOnlyList<string?>? Codes);

public sealed record MembersImportResponse(Guid DropId, int MembersAdded, int CodesAdded, int Members, int Codes);

public sealed record DrawResponse(Guid DropId, string Algorithm, string AlgorithmText, IReadOnlyList<RoomDraw> Rooms);

public static class OperationsApi
{
    public const int MaxRate = 1_000_000;
    public const int MaxMembersPerImport = 50_000;
    private const int MaxMemberIdLength = 100;

    public static RouteGroupBuilder MapOperations(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/queue").WithTags("Waiting room operations");

        // The draw is public: anyone may check the order.
        group.MapGet("/{dropId:guid}/draw", GetDraw).AllowAnonymous().WithName(nameof(GetDraw))
            .WithSummary("Each room's commitment; after its sale opened, the seed, the algorithm and the pre-opening entry ids, to recompute the order.")
            .Produces<DrawResponse>().ProducesProblemWhen(StatusCodes.Status404NotFound, "No drop with a waiting room has this id.");

        var operators = group.MapGroup("/").RequireAuthorization(Policies.Operator);
        operators.MapGet("/", ListDrops).WithName(nameof(ListDrops)).WithSummary("Every drop with a waiting room and its counters.")
            .Produces<List<DropCounters>>();
        operators.MapGet("/{dropId:guid}", GetCounters).WithName(nameof(GetCounters))
            .WithSummary("Queue length, admitted, active, passes used and expired, measured admission rate, abandonment.")
            .Produces<DropCounters>().ProducesProblemWhen(StatusCodes.Status404NotFound, "No drop with a waiting room has this id.");
        operators.MapPost("/{dropId:guid}/pause", Pause).WithName(nameof(Pause)).WithSummary("Stop letting fans in; places are kept.")
            .Produces<DropCounters>().ProducesProblemWhen(StatusCodes.Status404NotFound, "No drop with a waiting room has this id.").ProducesProblemWhen(StatusCodes.Status409Conflict, "reason closed: the drop has ended.");
        operators.MapPost("/{dropId:guid}/resume", Resume).WithName(nameof(Resume)).WithSummary("Let fans in again at the rate.")
            .Produces<DropCounters>().ProducesProblemWhen(StatusCodes.Status404NotFound, "No drop with a waiting room has this id.").ProducesProblemWhen(StatusCodes.Status409Conflict, "reason closed: the drop has ended.");
        operators.MapPut("/{dropId:guid}/rate", ChangeRate).WithName(nameof(ChangeRate)).WithSummary("Change admissionsPerMinute and maxActive while the drop runs.")
            .Produces<DropCounters>().ProducesValidationProblem().ProducesProblemWhen(StatusCodes.Status404NotFound, "No drop with a waiting room has this id.").ProducesProblemWhen(StatusCodes.Status409Conflict, "reason closed: the drop has ended.");
        operators.MapPut("/{dropId:guid}/presale", SchedulePresale).WithName(nameof(SchedulePresale))
            .WithSummary("A members-only presale from the sale's opening to endsAt; the general sale follows with its own queue.")
            .Produces<DropCounters>().ProducesValidationProblem().ProducesProblemWhen(StatusCodes.Status404NotFound, "No drop with a waiting room has this id.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "reason closed, sale_opened or presale_already_scheduled.");
        operators.MapPost("/{dropId:guid}/presale/members", ImportMembers).WithName(nameof(ImportMembers))
            .WithSummary("Add presale members: JSON { memberIds, codes }, or a CSV file (text/csv: lines member,<fan id> or code,<code>).")
            .Accepts<MembersRequest>("application/json", "text/csv")
            .Produces<MembersImportResponse>().ProducesValidationProblem().ProducesProblemWhen(StatusCodes.Status404NotFound, "No drop with a waiting room has this id.");
        return group;
    }

    public static IResult GetDraw(Guid dropId, DropStates drops)
    {
        if (drops.Find(dropId) is not { } drop)
        {
            return EntriesApi.NoWaitingRoom(dropId);
        }

        return TypedResults.Ok(new DrawResponse(dropId, Draw.Algorithm, Draw.AlgorithmText, drop.Draws()));
    }

    public static IResult ListDrops(DropStates drops, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return TypedResults.Ok(drops.All.Select(drop => drop.Counters(now)).OrderByDescending(counters => counters.SaleOpensAt).ToList());
    }

    public static async Task<IResult> GetCounters(Guid dropId, DropStates drops, TimeProvider time, CancellationToken cancellationToken) =>
        await drops.FindOrReadAsync(dropId, cancellationToken) is { } drop
            ? TypedResults.Ok(drop.Counters(time.GetUtcNow()))
            : EntriesApi.NoWaitingRoom(dropId);

    public static Task<IResult> Pause(Guid dropId, HttpContext context, DropStates drops, DropStreamWriter writer, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(dropId, drops, writer, time, (drop, now) => drop.Paused ? null : new AdmissionPaused(dropId, By(context), now), cancellationToken);

    public static Task<IResult> Resume(Guid dropId, HttpContext context, DropStates drops, DropStreamWriter writer, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(dropId, drops, writer, time, (drop, now) => drop.Paused ? new AdmissionResumed(dropId, By(context), now) : null, cancellationToken);

    public static async Task<IResult> ChangeRate(
        Guid dropId, RateRequest? request, HttpContext context, DropStates drops, DropStreamWriter writer, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request?.AdmissionsPerMinute is not { } rate)
        {
            errors["admissionsPerMinute"] = ["Required."];
        }
        else if (rate is < 1 or > MaxRate)
        {
            errors["admissionsPerMinute"] = [$"Must be between 1 and {MaxRate:N0}."];
        }

        if (request?.MaxActive is < 1 or > MaxRate)
        {
            errors["maxActive"] = [$"Must be between 1 and {MaxRate:N0}, or left out for no limit."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await ChangeAsync(dropId, drops, writer, time,
            (_, now) => new AdmissionRateChanged(dropId, request!.AdmissionsPerMinute!.Value, request.MaxActive, By(context), now), cancellationToken);
    }

    public static async Task<IResult> SchedulePresale(
        Guid dropId, PresaleRequest? request, HttpContext context, DropStates drops, DropStreamWriter writer, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await drops.FindOrReadAsync(dropId, cancellationToken) is not { } drop)
        {
            return EntriesApi.NoWaitingRoom(dropId);
        }

        if (request?.EndsAt is not { } endsAt)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["endsAt"] = ["Required: when the presale ends and the general sale opens."] });
        }

        if (endsAt <= drop.SaleOpensAt || endsAt > drop.SaleOpensAt.AddDays(7))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["endsAt"] = [$"The presale runs from the sale's opening ({drop.SaleOpensAt:yyyy-MM-ddTHH:mm:ssZ}) for at most 7 days: endsAt must be after it."],
            });
        }

        var now = time.GetUtcNow();
        if (drop.ClosedReason is not null)
        {
            return EntriesApi.Problem(StatusCodes.Status409Conflict, "The drop has ended", "A closed drop cannot get a presale.", QueueReasons.Closed, []);
        }

        if (now >= drop.SaleOpensAt)
        {
            return EntriesApi.Problem(StatusCodes.Status409Conflict, "The sale has opened", "A presale must be set up before the sale opens.", QueueReasons.SaleOpened, []);
        }

        if (drop.HasPresale)
        {
            return EntriesApi.Problem(StatusCodes.Status409Conflict, "A presale is already scheduled", "This drop already has a presale.", QueueReasons.AlreadyScheduled, []);
        }

        var seed = Draw.NewSeed();
        await writer.AppendAsync(dropId, [new PresaleScheduled(dropId, endsAt.ToUniversalTime(), seed, Draw.Commitment(seed), By(context), now)], cancellationToken);
        await drops.CatchUpAsync(dropId, cancellationToken);
        return TypedResults.Ok(drop.Counters(time.GetUtcNow()));
    }

    public static async Task<IResult> ImportMembers(
        Guid dropId, HttpContext context, DropStates drops, DropStreamWriter writer, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await drops.FindOrReadAsync(dropId, cancellationToken) is not { } drop)
        {
            return EntriesApi.NoWaitingRoom(dropId);
        }

        var (memberIds, codes, errors) = await ReadMembersAsync(context.Request, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var before = drop.Counters(time.GetUtcNow()).Presale;
        var hashes = codes.Select(MembershipCodes.Hash).Distinct(StringComparer.Ordinal).ToList();
        var ids = memberIds.Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count + hashes.Count > 0)
        {
            await writer.AppendAsync(dropId, [new MembersImported(dropId, ids, hashes, By(context), time.GetUtcNow())], cancellationToken);
            await drops.CatchUpAsync(dropId, cancellationToken);
        }

        var after = drop.Counters(time.GetUtcNow()).Presale;
        return TypedResults.Ok(new MembersImportResponse(
            dropId,
            (after?.Members ?? 0) - (before?.Members ?? 0),
            (after?.Codes ?? 0) - (before?.Codes ?? 0),
            after?.Members ?? 0,
            after?.Codes ?? 0));
    }

    /// <summary>Members from a JSON body, or from a CSV file (text/csv or text/plain).</summary>
    private static async Task<(List<string> MemberIds, List<string> Codes, Dictionary<string, string[]> Errors)> ReadMembersAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var memberIds = new List<string>();
        var codes = new List<string>();
        var contentType = request.ContentType ?? "";
        if (contentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(cancellationToken);
            var lineNumber = 0;
            var problems = new List<string>();
            foreach (var raw in text.Split('\n'))
            {
                lineNumber++;
                var line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#') || (lineNumber == 1 && line.Equals("kind,value", StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                var comma = line.IndexOf(',');
                var kind = comma < 0 ? "" : line[..comma].Trim().ToLowerInvariant();
                var value = comma < 0 ? "" : line[(comma + 1)..].Trim().Trim('"');
                switch (kind)
                {
                    case "member" when IsMemberId(value):
                        memberIds.Add(value);
                        break;
                    case "code" when MembershipCodes.IsWellFormed(value):
                        codes.Add(value);
                        break;
                    default:
                        if (problems.Count < 10)
                        {
                            problems.Add($"Line {lineNumber}: expected member,<fan id> or code,<4 to {EntriesApi.MaxCodeLength} letters, digits or dashes>.");
                        }

                        break;
                }
            }

            if (problems.Count > 0)
            {
                errors["file"] = [.. problems];
            }
        }
        else if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            MembersRequest? body;
            try
            {
                body = await request.ReadFromJsonAsync<MembersRequest>(cancellationToken);
            }
            catch (System.Text.Json.JsonException)
            {
                errors["body"] = ["Send { memberIds: [...], codes: [...] }."];
                return (memberIds, codes, errors);
            }

            for (var i = 0; i < (body?.MemberIds?.Count ?? 0); i++)
            {
                if (body!.MemberIds![i]?.Trim() is { } id && IsMemberId(id))
                {
                    memberIds.Add(id);
                }
                else
                {
                    errors[$"memberIds[{i}]"] = [$"A fan id of 1 to {MaxMemberIdLength} characters."];
                }
            }

            for (var i = 0; i < (body?.Codes?.Count ?? 0); i++)
            {
                if (body!.Codes![i]?.Trim() is { } code && MembershipCodes.IsWellFormed(code))
                {
                    codes.Add(code);
                }
                else
                {
                    errors[$"codes[{i}]"] = [$"4 to {EntriesApi.MaxCodeLength} letters, digits or dashes."];
                }
            }
        }
        else
        {
            errors["body"] = ["Send JSON { memberIds, codes } or a CSV file as text/csv."];
        }

        if (errors.Count == 0 && memberIds.Count + codes.Count == 0)
        {
            errors["body"] = ["No members or codes in the request."];
        }
        else if (memberIds.Count + codes.Count > MaxMembersPerImport)
        {
            errors["body"] = [$"At most {MaxMembersPerImport:N0} members and codes per import; send the rest in another."];
        }

        return (memberIds, codes, errors);
    }

    private static bool IsMemberId(string value) => value.Length is > 0 and <= MaxMemberIdLength && !value.Any(char.IsControl);

    private static async Task<IResult> ChangeAsync(
        Guid dropId,
        DropStates drops,
        DropStreamWriter writer,
        TimeProvider time,
        Func<DropState, DateTimeOffset, object?> decide,
        CancellationToken cancellationToken)
    {
        if (await drops.FindOrReadAsync(dropId, cancellationToken) is not { } drop)
        {
            return EntriesApi.NoWaitingRoom(dropId);
        }

        if (drop.ClosedReason is not null)
        {
            return EntriesApi.Problem(StatusCodes.Status409Conflict, "The drop has ended", "A closed drop's queue cannot be changed.", QueueReasons.Closed, []);
        }

        await writer.AppendDecidedAsync(dropId, async token =>
        {
            await drops.CatchUpAsync(dropId, token);
            return decide(drop, time.GetUtcNow()) is { } change ? [change] : [];
        }, cancellationToken);
        await drops.CatchUpAsync(dropId, cancellationToken);
        return TypedResults.Ok(drop.Counters(time.GetUtcNow()));
    }

    private static string By(HttpContext context) => FanIdentity.FanId(context) ?? "operator";
}
