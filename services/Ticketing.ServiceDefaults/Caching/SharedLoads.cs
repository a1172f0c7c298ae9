using Microsoft.Extensions.Caching.Memory;

namespace Ticketing.ServiceDefaults.Caching;

/// <summary>
/// Cached reads that many requests share: while a value is being loaded every caller awaits the same load, so a
/// thousand fans opening the seat map the second it expires cost one query, not a thousand at once.
/// </summary>
public static class SharedLoads
{
    private static readonly Lock Gate = new();

    public static Task<T> GetOrLoadAsync<T>(this IMemoryCache cache, object key, TimeSpan freshness, Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
    {
        if (!cache.TryGetValue(key, out Task<T>? shared) || shared is null || shared.IsFaulted || shared.IsCanceled)
        {
            lock (Gate)
            {
                if (!cache.TryGetValue(key, out shared) || shared is null || shared.IsFaulted || shared.IsCanceled)
                {
                    // Not the first caller's token: one fan giving up must not fail the load the others wait for.
                    shared = load(CancellationToken.None);
                    cache.Set(key, shared, freshness);
                }
            }
        }

        return shared.WaitAsync(cancellationToken);
    }
}
