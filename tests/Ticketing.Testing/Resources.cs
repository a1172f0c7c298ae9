namespace Ticketing.Testing;

/// <summary>Tearing down what a fixture started.</summary>
public static class Resources
{
    /// <summary>
    /// Disposes <paramref name="resources"/> one after another, in the order given (a service before the proxies,
    /// recorder, virtual host and database it uses); null ones (a proxy the fixture did not start) are skipped.
    /// </summary>
    public static async Task DisposeInOrderAsync(params IAsyncDisposable?[] resources)
    {
        foreach (var resource in resources)
        {
            if (resource is not null)
            {
                await resource.DisposeAsync();
            }
        }
    }
}
