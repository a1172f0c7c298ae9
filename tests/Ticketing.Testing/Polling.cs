using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ticketing.Testing;

/// <summary>Waiting for the platform to catch up: messages take a moment to cross the broker.</summary>
public static class Polling
{
    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds, or throws after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not come true in time.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Checks out through the gateway with a fresh Idempotency-Key; retries while Orders has not yet heard of a
    /// product that was just listed. Returns the order id.
    /// </summary>
    public static async Task<Guid> CheckoutAsync(HttpClient fan, object body)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var response = await fan.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return (await response.ReadJsonAsync<JsonElement>()).GetProperty("orderId").GetGuid();
            }

            var problem = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest || !problem.Contains("No such product") || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Checkout answered {(int)response.StatusCode}: {problem}");
            }

            await Task.Delay(100);
        }
    }
}
