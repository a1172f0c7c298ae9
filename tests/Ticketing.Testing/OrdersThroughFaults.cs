namespace Ticketing.Testing;

/// <summary>
/// Orders as a fan's app places and follows them while instances fail (the scaling and chaos suites): a request the
/// gateway could not serve, or whose connection dropped, is sent again — a checkout with the same Idempotency-Key, and
/// also while Orders has not yet heard of a product that was just listed.
/// </summary>
public static class OrdersThroughFaults
{
    /// <summary>
    /// Sends the checkout <paramref name="body"/> through <paramref name="send"/> until it is accepted (202, or 200 for a
    /// repeat) and returns the order id; an answer neither accepted nor in <paramref name="notServed"/> ends the test.
    /// </summary>
    public static async Task<Guid> CheckoutAsync(
        string fanId,
        object body,
        Func<HttpRequestMessage, Task<HttpResponseMessage>> send,
        IReadOnlySet<HttpStatusCode> notServed,
        TimeSpan timeout,
        TimeSpan pause)
    {
        var key = Guid.NewGuid().ToString();
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            try
            {
                using var response = await send(request);
                if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                {
                    return (await response.ReadJsonAsync<JsonElement>()).GetProperty("orderId").GetGuid();
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (!notServed.Contains(response.StatusCode) && !last.Contains("No such product"))
                {
                    throw new InvalidOperationException($"Checkout of {fanId} answered {last}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                last = exception.Message;
            }

            await Task.Delay(pause);
        }

        throw new TimeoutException($"Checkout of {fanId} was not accepted in {timeout}; last answer: {last}");
    }

    /// <summary>
    /// Reads every order through <paramref name="get"/> each round until all are Confirmed or Cancelled, and returns
    /// each one; a request the gateway could not serve is asked again next round.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, JsonElement>> FinalOrdersAsync(
        IReadOnlyList<(string Fan, Guid OrderId)> orders,
        Func<(string Fan, Guid OrderId), Task<HttpResponseMessage>> get,
        TimeSpan timeout,
        TimeSpan pause)
    {
        var final = new Dictionary<Guid, JsonElement>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (var order in orders.Where(order => !final.ContainsKey(order.OrderId)))
            {
                try
                {
                    using var response = await get(order);
                    if (response.IsSuccessStatusCode && await response.ReadJsonAsync<JsonElement>() is var read
                        && read.GetProperty("status").GetString() != "Pending")
                    {
                        final[order.OrderId] = read;
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    // the gateway has not noticed a dead instance yet: ask again next round
                }
            }

            if (final.Count == orders.Count)
            {
                return final;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{orders.Count - final.Count} of {orders.Count} orders were still pending after {timeout}.");
            }

            await Task.Delay(pause);
        }
    }
}
