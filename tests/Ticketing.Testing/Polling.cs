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
    /// Reads <paramref name="read"/> every <paramref name="every"/> (100 ms unless given) until it gives a value, and
    /// returns it; throws after <paramref name="timeout"/>, naming <paramref name="what"/> was awaited.
    /// </summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> read, TimeSpan timeout, string what, TimeSpan? every = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await read() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not come within {timeout}.");
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>
    /// Reads <paramref name="read"/> every 100 ms until <paramref name="settled"/> holds for what it read, and returns
    /// that; at <paramref name="timeout"/> returns the last reading instead, so that the test's assertions on it say
    /// what differs.
    /// </summary>
    public static async Task<T> SettledAsync<T>(Func<Task<T>> read, Func<T, bool> settled, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (settled(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Checks out through the gateway with a fresh Idempotency-Key (and what <paramref name="prepare"/> adds to the
    /// request, e.g. an admission pass); sends again while Orders has not yet heard of a product that was just listed
    /// (400 "No such product"), for up to 20 s. Returns the answer.
    /// </summary>
    public static async Task<HttpResponseMessage> CheckoutAnswerAsync(HttpClient fan, object body, Action<HttpRequestMessage>? prepare = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            prepare?.Invoke(request);
            var response = await fan.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.BadRequest || DateTime.UtcNow > deadline
                || !(await response.Content.ReadAsStringAsync()).Contains("No such product"))
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(100);
        }
    }

    /// <summary>Checks out as <see cref="CheckoutAnswerAsync"/> does and returns the order id (202 expected).</summary>
    public static async Task<Guid> CheckoutAsync(HttpClient fan, object body)
    {
        using var response = await CheckoutAnswerAsync(fan, body);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"Checkout answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.ReadJsonAsync<JsonElement>()).GetProperty("orderId").GetGuid();
    }
}
