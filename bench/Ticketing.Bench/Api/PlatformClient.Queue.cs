using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ticketing.Bench.Infrastructure;

namespace Ticketing.Bench.Api;

/// <summary>A fan's place as the waiting room answers it (<c>POST …/entries</c>, <c>GET …/entries/mine</c>), the fields the benchmarks read.</summary>
public sealed record QueueEntry(Guid EntryId, string Status, int? Position, string? AdmissionPass, DateTimeOffset? PassExpiresAt)
{
    /// <summary>When the queue let the fan in (its clock): the pass is valid <see cref="PlatformClient.PassMinutes"/> from then.</summary>
    public DateTimeOffset? AdmittedAt => PassExpiresAt?.AddMinutes(-PlatformClient.PassMinutes);
}

/// <summary>One answer of the waiting room: its status (0: no answer), the place when 200 or 201, and how long it took.</summary>
public readonly record struct QueueAnswer(int Status, QueueEntry? Entry, double Milliseconds);

/// <summary>The operator's counters of a drop (<c>GET /api/queue/{dropId}</c>), the fields the benchmarks read.</summary>
public sealed record QueueCounters(int Joined, int Waiting, int Admitted, int Active, bool SoldOut, bool Paused, double MeasuredAdmissionsPerMinute);

/// <summary>A room's published draw (<c>GET /api/queue/{dropId}/draw</c>): the seed and the pre-opening entries once drawn.</summary>
public sealed record PublishedDraw(string Room, string Commitment, DateTimeOffset SaleOpensAt, DateTimeOffset? DrawnAt, string? Seed, IReadOnlyList<Guid>? PreOpeningEntryIds);

/// <summary>The waiting room's API (issue 16), through the gateway, or straight at a Queue instance given as the base address.</summary>
public sealed partial class PlatformClient
{
    public const string QueueRoute = "api/queue";
    public const string AdmissionPassHeader = "X-Admission-Pass";

    /// <summary>How long the benchmarks' admission passes are valid.</summary>
    public const int PassMinutes = 10;

    private static readonly TimeSpan DropTimeout = TimeSpan.FromMinutes(1);

    /// <summary>A waiting room as a concert draft takes it: open to joins since a minute ago, no limit on admitted fans.</summary>
    public static object WaitingRoom(int admissionsPerMinute) =>
        new { opensAt = DateTimeOffset.UtcNow.AddMinutes(-1), admissionsPerMinute, maxActive = (int?)null, passMinutes = PassMinutes };

    /// <summary>Waits until the Queue knows the drop (it hears of it from the Catalog's announcement); how long that took.</summary>
    public Task<TimeSpan> WaitForQueueAsync(Guid dropId, CancellationToken cancellationToken) =>
        PollAsync($"waiting room of drop {dropId}", DropTimeout, async token => await QueueCountersAsync(dropId, token) is not null, cancellationToken);

    /// <summary>POST /api/queue/{dropId}/entries as <paramref name="fanId"/> (201 a new place, 200 the place the fan has).</summary>
    public Task<QueueAnswer> JoinQueueAsync(Guid dropId, string fanId, CancellationToken cancellationToken) =>
        TimedAsync(HttpMethod.Post, $"{QueueRoute}/{dropId}/entries", BenchTokens.Fan(fanId), cancellationToken);

    /// <summary>GET /api/queue/{dropId}/entries/mine as <paramref name="fanId"/>: the fan's place, live.</summary>
    public Task<QueueAnswer> QueuePlaceAsync(Guid dropId, string fanId, CancellationToken cancellationToken) =>
        TimedAsync(HttpMethod.Get, $"{QueueRoute}/{dropId}/entries/mine", BenchTokens.Fan(fanId), cancellationToken);

    /// <summary>An anonymous GET of <paramref name="path"/> (a ceiling: no token to check, nothing to compute).</summary>
    public Task<QueueAnswer> AnonymousGetAsync(string path, CancellationToken cancellationToken) =>
        TimedAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>The drop's counters as the operator sees them; null while the Queue does not know the drop (404).</summary>
    public async Task<QueueCounters?> QueueCountersAsync(Guid dropId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{QueueRoute}/{dropId}", BenchTokens.Operator, null, cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await ReadAsync(response, HttpStatusCode.OK, cancellationToken)).Deserialize<QueueCounters>(Json);
    }

    /// <summary>Each room's published draw.</summary>
    public async Task<IReadOnlyList<PublishedDraw>> QueueDrawAsync(Guid dropId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"{QueueRoute}/{dropId}/draw", null, null, cancellationToken);
        return (await ReadAsync(response, HttpStatusCode.OK, cancellationToken)).GetProperty("rooms").Deserialize<List<PublishedDraw>>(Json) ?? [];
    }

    /// <summary>POST /api/queue/{dropId}/pause as the operator: nobody more is let in.</summary>
    public async Task PauseQueueAsync(Guid dropId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, $"{QueueRoute}/{dropId}/pause", BenchTokens.Operator, null, cancellationToken);
        await ReadAsync(response, HttpStatusCode.OK, cancellationToken);
    }

    private async Task<QueueAnswer> TimedAsync(HttpMethod method, string path, AuthenticationHeaderValue? token, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await SendAsync(method, path, token, method == HttpMethod.Post ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
                cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var status = (int)response.StatusCode;
            return new QueueAnswer(status, status is 200 or 201 && path.Contains("/entries", StringComparison.Ordinal)
                ? JsonSerializer.Deserialize<QueueEntry>(body, Json) : null, elapsed);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new QueueAnswer(0, null, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
