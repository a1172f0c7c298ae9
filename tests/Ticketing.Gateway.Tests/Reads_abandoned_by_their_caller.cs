using Microsoft.AspNetCore.Http;
using Ticketing.Gateway.Routing;

namespace Ticketing.Gateway.Tests;

/// <summary>
/// A public read whose caller goes away half-way through the answer (a fan leaves the page while a picture or the
/// concert list is loading), through a real gateway on Kestrel in front of a stand-in Catalog whose first answer stops
/// half-way. ASP.NET Core's output cache (10.0.12 here) keeps such a cut answer and hands it to the callers waiting for
/// the same read and to everyone after them until it expires (dotnet/aspnetcore#56427, fixed after 10.0.12): a picture
/// kept a year cut short or empty, a concert list that is not JSON. The gateway must keep only whole answers.
/// </summary>
public sealed class Reads_abandoned_by_their_caller
{
    private const int BodyBytes = 64 * 1024;

    [Theory]
    [InlineData("image/webp")] // not compressed by the gateway: the service's Content-Length is passed on
    [InlineData("application/json")] // compressed by the gateway: sent in chunks, no length
    public async Task A_caller_waiting_for_the_same_read_and_the_callers_after_it_get_the_whole_answer(string contentType)
    {
        var firstAnswerStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstAnswerAbandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answers = 0;
        await using var catalog = await StandInCatalog.StartAsync(StatusCodes.Status200OK, async context =>
        {
            var first = Interlocked.Increment(ref answers) == 1;
            context.Response.ContentType = contentType;
            context.Response.Headers.CacheControl = "public, max-age=60";
            context.Response.ContentLength = BodyBytes;
            await context.Response.Body.WriteAsync(Body[..(BodyBytes / 2)], context.RequestAborted);
            if (first)
            {
                // Half the answer is out; the rest never comes, and the gateway gives this request up when its caller goes.
                await context.Response.Body.FlushAsync(context.RequestAborted);
                firstAnswerStopped.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    firstAnswerAbandoned.TrySetResult();
                }

                return;
            }

            await context.Response.Body.WriteAsync(Body[(BodyBytes / 2)..], context.RequestAborted);
        });
        await using var gateway = new ServiceHost<GatewayService>(StandInCatalog.GatewaySettings(catalog), listen: true);
        await gateway.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }) { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(30) };
        const string path = "/api/catalog/images/picture-of-the-drop";

        // The first caller gets the headers and half the body, then leaves.
        using (var leaving = new CancellationTokenSource())
        {
            using var first = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, leaving.Token);
            await firstAnswerStopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
            // A second caller of the same read arrives while the first is still being answered, and waits for it.
            var waiting = http.GetAsync(path);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            leaving.Cancel();
            first.Dispose();
            await firstAnswerAbandoned.Task.WaitAsync(TimeSpan.FromSeconds(30));

            using var waited = await waiting;
            Assert.Equal(HttpStatusCode.OK, waited.StatusCode);
            Assert.Equal(Body, await waited.Content.ReadAsByteArrayAsync());
        }

        using var after = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(Body, await after.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The picture's (or the list's) bytes: a to z over and over.</summary>
    private static readonly byte[] Body = Enumerable.Range(0, BodyBytes).Select(i => (byte)('a' + (i % 26))).ToArray();
}
