using Ticketing.Catalog.Concerts;
using Ticketing.Catalog.Shared;
using ConcertCancelled = Ticketing.Catalog.Concerts.ConcertCancelled;
using ConcertPublished = Ticketing.Catalog.Concerts.ConcertPublished;
using PriceTier = Ticketing.Catalog.Concerts.PriceTier;

namespace Ticketing.Catalog.Tests;

/// <summary>The concert's decisions as pure functions: no database, time passed in.</summary>
public sealed class Concert_rules
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Concert Draft(DateTimeOffset? startsAt = null) => Concert.Create(new ConcertDrafted(
        Guid.NewGuid(),
        new ConcertDetails("NOVA", "Tour", "Arena", "Seoul", "Asia/Seoul", startsAt ?? Now.AddDays(10), Now.AddDays(1), 4,
            [new PriceTier("VIP", "VIP", 198000m, "KRW")],
            [new Section("A", "VIP", [new Row("1", 10), new Row("2", 12)])]),
        Now));

    [Fact]
    public void A_draft_counts_its_seats()
    {
        Assert.Equal(22, Draft().Capacity);
    }

    [Fact]
    public void A_draft_is_published_with_its_details()
    {
        var draft = Draft();

        var decision = ConcertDecisions.Publish(draft, Now);

        Assert.Equal(draft.Details, decision.Event!.Details);
        Assert.Equal(ConcertStatus.Published, draft.Apply(decision.Event).Status);
    }

    [Fact]
    public void A_concert_is_not_on_sale_before_its_sale_opens()
    {
        var published = Draft().Apply(new ConcertPublished(Guid.NewGuid(), Draft().Details, Now));

        Assert.False(published.IsOnSale(Now));
        Assert.True(published.IsOnSale(Now.AddDays(1)));
    }

    [Fact]
    public void A_concert_that_has_started_cannot_be_published()
    {
        var decision = ConcertDecisions.Publish(Draft(startsAt: Now.AddMinutes(-1)), Now);

        Assert.NotNull(decision.ConflictDetail);
        Assert.Null(decision.Event);
    }

    [Fact]
    public void Publishing_or_cancelling_twice_decides_nothing()
    {
        var draft = Draft();
        var published = draft.Apply(ConcertDecisions.Publish(draft, Now).Event!);
        var cancelled = published.Apply(ConcertDecisions.Cancel(published, null, Now).Event!);

        Assert.Equal(Decision<ConcertPublished>.NoChange, ConcertDecisions.Publish(published, Now));
        Assert.Equal(Decision<ConcertCancelled>.NoChange, ConcertDecisions.Cancel(cancelled, "again", Now));
    }

    [Fact]
    public void Cancelling_records_whether_fans_could_have_bought()
    {
        var draft = Draft();
        var published = draft.Apply(ConcertDecisions.Publish(draft, Now).Event!);

        Assert.False(ConcertDecisions.Cancel(draft, null, Now).Event!.WasPublished);
        Assert.True(ConcertDecisions.Cancel(published, " storm ", Now).Event!.WasPublished);
        Assert.Equal("storm", ConcertDecisions.Cancel(published, " storm ", Now).Event!.Reason);
    }

    [Fact]
    public void Only_a_draft_can_be_revised()
    {
        var draft = Draft();
        var published = draft.Apply(ConcertDecisions.Publish(draft, Now).Event!);

        Assert.NotNull(ConcertDecisions.Revise(draft, draft.Details, Now).Event);
        Assert.NotNull(ConcertDecisions.Revise(published, draft.Details, Now).ConflictDetail);
    }

    [Theory]
    [InlineData(198000, "KRW", true)]
    [InlineData(198000.5, "KRW", false)]
    [InlineData(15800, "JPY", true)]
    [InlineData(89.99, "USD", true)]
    [InlineData(89.999, "USD", false)]
    [InlineData(0, "USD", false)]
    public void Prices_respect_the_currency(decimal price, string currency, bool acceptable)
    {
        Assert.True(Money.IsKnownCurrency(currency));
        Assert.Equal(acceptable, Money.Problem(price, currency) is null);
    }

    [Fact]
    public void A_published_concert_is_cached_for_a_minute_but_never_past_its_sale_opening()
    {
        var published = Draft().Apply(new ConcertPublished(Guid.NewGuid(), Draft().Details, Now)); // sale opens in a day

        Assert.Equal(TimeSpan.FromSeconds(60), ConcertCaching.MaxAge([published], Now));
        Assert.Equal(TimeSpan.FromSeconds(20), ConcertCaching.MaxAge([published], Now.AddDays(1).AddSeconds(-20)));
        Assert.Equal(TimeSpan.FromSeconds(1), ConcertCaching.MaxAge([published], Now.AddDays(1).AddMilliseconds(-10)));
        Assert.Equal(TimeSpan.FromSeconds(60), ConcertCaching.MaxAge([published], Now.AddDays(2)));
    }
}
