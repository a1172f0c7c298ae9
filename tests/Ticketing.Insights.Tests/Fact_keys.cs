using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Orders;
using Ticketing.Insights.Recording;

namespace Ticketing.Insights.Tests;

/// <summary>
/// The identities of recorded facts, without a database: the key texts and hashed ids of earlier versions are unchanged
/// (so their facts are still found), and a fact about a subject with a version 7 id is stored under an id that begins
/// with the subject's time.
/// </summary>
public sealed class Fact_keys
{
    private static readonly Guid Subject = Guid.Parse("0192f0a8-5c1e-7a3b-9d4e-1f2a3b4c5d6e"); // version 7: 2024-11-03 06:13:38.462 UTC

    [Fact]
    public void Keep_the_texts_and_hashed_ids_of_earlier_versions()
    {
        var confirmed = FactKeys.Of(new OrderConfirmed(Subject, "fan-1", null, DateTimeOffset.UnixEpoch));
        var restocked = FactKeys.Of(new ProductRestocked(Subject, 500, 1500, DateTimeOffset.UnixEpoch));

        Assert.Equal($"order-confirmed:{Subject}", confirmed.ToString());
        Assert.Equal($"product-restocked:{Subject}:1500", restocked.ToString());
        // The first 16 bytes of SHA-256 of the text, marked version 8 (computed apart, with Python's hashlib).
        Assert.Equal(Guid.Parse("d835f919-de3b-85a3-adf6-485c8bb7e64c"), confirmed.HashedId);
        Assert.Equal(Guid.Parse("da715e7c-06b5-881c-8722-5f7d9341ad4d"), restocked.HashedId);
    }

    [Fact]
    public void Of_a_subject_with_a_time_begin_with_it_and_of_one_without_are_hashed()
    {
        var timed = new FactKey("order-confirmed", Subject);
        var untimed = new FactKey("order-confirmed", Guid.Parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301"));

        Assert.StartsWith("0192f0a85c1e", timed.Id.ToString("N"), StringComparison.Ordinal);
        // The subject's 48 bits of time over the key's hashed id (d835f919-de3b-85a3-..., above): what versions since
        // 2026-12-04 stored, so their facts are still found.
        Assert.Equal(Guid.Parse("0192f0a8-5c1e-85a3-adf6-485c8bb7e64c"), timed.Id);
        Assert.Equal(8, timed.Id.Version);
        Assert.Equal((timed.Id, timed.HashedId), timed.Ids());
        Assert.Equal((untimed.Id, untimed.HashedId), untimed.Ids());
        Assert.NotEqual(timed.HashedId, timed.Id);
        Assert.Equal(timed.Id, new FactKey("order-confirmed", Subject).Id);
        Assert.NotEqual(timed.Id, new FactKey("order-placed", Subject).Id);
        Assert.Equal(untimed.HashedId, untimed.Id);
    }
}
