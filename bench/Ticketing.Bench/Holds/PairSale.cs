using System.Collections.Concurrent;
using System.Diagnostics;
using Ticketing.Bench.Api;

namespace Ticketing.Bench.Holds;

/// <summary>One hold request and its answer; times are <see cref="Stopwatch"/> timestamps.</summary>
public sealed record HoldAttempt(string FanId, string Tier, long SentAt, long AnsweredAt, HoldAnswer Answer)
{
    public double LatencyMs => Stopwatch.GetElapsedTime(SentAt, AnsweredAt).TotalMilliseconds;
}

/// <summary>
/// Fans holding the best available <see cref="Quantity"/> seats of a tier until a venue is sold out, as fans in a
/// drop do: each asks for a random tier not yet seen sold out; a tier counts as sold out after
/// <see cref="RefusalsBeforeClosed"/> "Not enough seats left" answers in a row. When every tier looks sold out, one
/// fan reads the seats left (<c>seatsLeft</c>, read after <c>freshness</c> so that it shows every earlier hold):
/// tiers with a pair left open again, a refusal can come from a lost race; with none left, or after
/// <see cref="MaxRounds"/> such rounds, the venue is sold out. Every request is kept in <see cref="Attempts"/>.
/// </summary>
public sealed class PairSale(
    IReadOnlyList<string> tiers,
    Func<string, string, CancellationToken, Task<HoldAnswer>> hold,
    Func<CancellationToken, Task<IReadOnlyDictionary<string, int>>> seatsLeft,
    TimeSpan freshness)
{
    public const int Quantity = 2;
    public const int RefusalsBeforeClosed = 3;
    public const int MaxRounds = 20;

    private readonly ConcurrentQueue<HoldAttempt> attempts = new();
    private readonly int[] refusalsInARow = new int[tiers.Count];
    private readonly SemaphoreSlim checking = new(1, 1);
    private volatile bool soldOut;

    /// <summary>
    /// Fans of the platform: holds through the gateway's hold route, seats left from the availability; for a drop with a
    /// waiting room, each fan's <c>X-Admission-Pass</c> from <paramref name="admissionPass"/>.
    /// </summary>
    public static PairSale OnPlatform(PlatformClient platform, Guid concertId, Func<string, string?>? admissionPass = null) => new(
        Venue.Tiers.Select(tier => tier.Code).ToList(),
        (fanId, tier, token) => platform.HoldBestAsync(PlatformClient.TicketsRoute, concertId, fanId, tier, Quantity, token, admissionPass?.Invoke(fanId)),
        async token => (await platform.AvailabilityAsync(concertId, token)).ToDictionary(tier => tier.Tier, tier => tier.Available),
        PlatformClient.SeatMapFreshness);

    public IReadOnlyCollection<HoldAttempt> Attempts => attempts;

    public bool SoldOut => soldOut;

    /// <summary>Rounds in which every tier looked sold out and the seats left were read.</summary>
    public int Rounds { get; private set; }

    /// <summary>Seats left per tier at the last round.</summary>
    public IReadOnlyDictionary<string, int> LastSeatsLeft { get; private set; } = new Dictionary<string, int>();

    /// <summary>
    /// One fan's pair: asks open tiers until a hold is placed (returned), the venue is sold out, another answer than
    /// "not enough seats" comes back, or <paramref name="maxRequests"/> were sent (null).
    /// </summary>
    public async Task<HoldAttempt?> HoldPairAsync(string fanId, int maxRequests, CancellationToken cancellationToken)
    {
        var requests = 0;
        while (!soldOut && requests < maxRequests)
        {
            if (OpenTier() is not { } tier)
            {
                await CheckSeatsLeftAsync(cancellationToken);
                continue;
            }

            requests++;
            var sent = Stopwatch.GetTimestamp();
            var answer = await hold(fanId, tiers[tier], cancellationToken);
            var attempt = new HoldAttempt(fanId, tiers[tier], sent, Stopwatch.GetTimestamp(), answer);
            attempts.Enqueue(attempt);
            if (answer.Outcome != HoldOutcome.NotEnoughSeats)
            {
                Interlocked.Exchange(ref refusalsInARow[tier], 0);
                return answer.Outcome == HoldOutcome.Held ? attempt : null;
            }

            Interlocked.Increment(ref refusalsInARow[tier]);
        }

        return null;
    }

    private int? OpenTier()
    {
        var open = Enumerable.Range(0, tiers.Count).Where(tier => Volatile.Read(ref refusalsInARow[tier]) < RefusalsBeforeClosed).ToList();
        return open.Count == 0 ? null : open[Random.Shared.Next(open.Count)];
    }

    private async Task CheckSeatsLeftAsync(CancellationToken cancellationToken)
    {
        await checking.WaitAsync(cancellationToken);
        try
        {
            if (soldOut || OpenTier() is not null)
            {
                return; // another fan checked meanwhile
            }

            await Task.Delay(freshness, cancellationToken);
            LastSeatsLeft = await seatsLeft(cancellationToken);
            Rounds++;
            var reopened = 0;
            for (var tier = 0; tier < tiers.Count; tier++)
            {
                if (LastSeatsLeft.GetValueOrDefault(tiers[tier]) >= Quantity)
                {
                    Volatile.Write(ref refusalsInARow[tier], 0);
                    reopened++;
                }
            }

            soldOut = reopened == 0 || Rounds >= MaxRounds;
        }
        finally
        {
            checking.Release();
        }
    }
}
