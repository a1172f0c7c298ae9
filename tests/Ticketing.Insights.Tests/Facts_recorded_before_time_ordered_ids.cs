using Marten;
using Ticketing.Contracts.Catalog;
using Ticketing.Insights.Metrics;
using Ticketing.Insights.Recording;

namespace Ticketing.Insights.Tests;

/// <summary>
/// Facts are stored under ids that begin with their subject's time; a fact that a version before that change stored
/// under the hash of its key alone is still found when a copy of its message comes, so it is not counted twice.
/// </summary>
[Collection(LiveInsightsCollection.Name)]
public sealed class Facts_recorded_before_time_ordered_ids(InsightsFixture platform)
{
    [Fact]
    public async Task Are_found_and_new_ones_are_stored_under_their_subjects_time()
    {
        var store = platform.Insights.Services.GetRequiredService<IDocumentStore>();
        var recorder = platform.Insights.Services.GetRequiredService<IntegrationEventRecorder>();
        var metrics = platform.Insights.Services.GetRequiredService<InsightsMetrics>();
        var recordedEarlier = new ConcertCancelled(await platform.ConcertOnSaleAsync("Before The Change"), "venue closed", DateTimeOffset.UtcNow);
        var recordedNow = new ConcertCancelled(await platform.ConcertOnSaleAsync("After The Change"), "venue closed", DateTimeOffset.UtcNow);

        // As a version before time-ordered ids stored it: the event's id is the hash of the fact's key. (The concert was
        // made within ten minutes of Insights' start, so it counts as possibly recorded before: IntegrationEventRecorder.)
        var earlierKey = FactKeys.Of(recordedEarlier);
        await using (var session = store.LightweightSession())
        {
            var stored = session.Events.BuildEvent(recordedEarlier);
            stored.Id = earlierKey.HashedId;
            session.Events.StartStream(Guid.CreateVersion7(), stored);
            await session.SaveChangesAsync();
        }

        var duplicatesBefore = metrics.DuplicatesIgnored;
        await recorder.RecordAsync(earlierKey, recordedEarlier, CancellationToken.None);
        await recorder.RecordAsync(FactKeys.Of(recordedNow), recordedNow, CancellationToken.None);
        await recorder.RecordAsync(FactKeys.Of(recordedNow), recordedNow, CancellationToken.None);

        Assert.Equal(2, metrics.DuplicatesIgnored - duplicatesBefore);
        Assert.Equal([earlierKey.HashedId], await StoredIdsAsync(store, earlierKey));
        var nowKey = FactKeys.Of(recordedNow);
        Assert.Equal([nowKey.Id], await StoredIdsAsync(store, nowKey));
        Assert.StartsWith(recordedNow.ConcertId.ToString("N")[..12], nowKey.Id.ToString("N"), StringComparison.Ordinal);
        await platform.UntilAsync($"/api/insights/concerts/{recordedEarlier.ConcertId}", concert => (bool?)concert["concert"]!["cancelled"] == true);
        await platform.UntilAsync($"/api/insights/concerts/{recordedNow.ConcertId}", concert => (bool?)concert["concert"]!["cancelled"] == true);
    }

    private static async Task<IReadOnlyList<Guid>> StoredIdsAsync(IDocumentStore store, FactKey key)
    {
        await using var session = store.QuerySession();
        var ids = new[] { key.Id, key.HashedId };
        return await session.Events.QueryAllRawEvents().Where(stored => stored.Id.IsOneOf(ids)).Select(stored => stored.Id).ToListAsync();
    }
}
