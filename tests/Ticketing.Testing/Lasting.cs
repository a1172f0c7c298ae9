namespace Ticketing.Testing;

/// <summary>
/// A condition a test keeps in place for a stated time because its length is what is tested: a broker or database
/// outage that must outlast the consumers' retries, a transaction held open past the relay's wait, work that stays
/// inside a lock while others try to enter. Not a way to wait for a result or to show that nothing happened: tests
/// wait for those on a signal (<see cref="ConsumedSignal{T}"/>, <see cref="Polling"/>, <see cref="MessageRecorder"/>).
/// </summary>
public static class Lasting
{
    /// <summary>Keeps the current condition for <paramref name="duration"/>; <paramref name="because"/> says why its length matters.</summary>
    public static Task ForAsync(TimeSpan duration, string because, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(because);
        return Task.Delay(duration, cancellationToken);
    }
}
