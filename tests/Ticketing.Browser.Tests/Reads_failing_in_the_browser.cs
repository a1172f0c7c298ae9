namespace Ticketing.Browser.Tests;

/// <summary>
/// The home page when its list of concerts comes back cut short or not at all (a phone losing its signal, a proxy
/// cutting a connection): the fan is told it is the connection, and the page recovers by itself without a reload.
/// Playwright answers the page's first read of the list; the reads after it go to the gateway.
/// </summary>
[Collection(FanAppCollection.Name)]
public sealed class Reads_failing_in_the_browser(FanAppFixture platform)
{
    private static readonly Regex ConcertList = new("/api/catalog/concerts\\?");

    [Fact]
    public async Task A_list_cut_short_is_told_as_the_connection_failing_and_the_page_shows_the_concerts_moments_later()
    {
        var concert = await platform.SeedConcertAsync("Cut Short Night");
        await using var fan = await platform.OpenAsync(serviceWorkers: false);
        await AnswerTheFirstListReadAsync(fan, route =>
            route.FulfillAsync(new() { Status = 200, ContentType = "application/json", Body = "{\"items\": [{\"id\": \"" }));

        await fan.Page.GotoAsync("/");

        await Expect(fan.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("We cannot reach the server; check your connection and try again.");
        await Expect(fan.Page.GetByRole(AriaRole.Link, new() { Name = concert.Title })).ToBeVisibleAsync();
        await Expect(fan.Page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_list_that_never_comes_is_given_up_and_asked_again_instead_of_loading_for_ever()
    {
        var concert = await platform.SeedConcertAsync("Never Answered Night");
        await using var fan = await platform.OpenAsync(serviceWorkers: false);
        // The first read is left without an answer: the connection hangs.
        var reads = await AnswerTheFirstListReadAsync(fan, _ => Task.CompletedTask);

        await fan.Page.GotoAsync("/");

        // The app gives a read up after 20 s, then asks again within 2 s.
        await Expect(fan.Page.GetByRole(AriaRole.Link, new() { Name = concert.Title })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        Assert.True(reads() >= 2, $"the list was read {reads()} time(s)");
    }

    /// <summary>
    /// The page's first read of the concert list is answered by <paramref name="first"/>; the reads after it go to the
    /// gateway. Returns how many reads the page has made so far.
    /// </summary>
    private static async Task<Func<int>> AnswerTheFirstListReadAsync(FanBrowser fan, Func<IRoute, Task> first)
    {
        var reads = 0;
        await fan.Page.RouteAsync(ConcertList, route => Interlocked.Increment(ref reads) == 1 ? first(route) : route.ContinueAsync());
        return () => Volatile.Read(ref reads);
    }
}
