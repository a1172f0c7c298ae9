namespace Ticketing.Testing;

/// <summary>Tearing down what a fixture started.</summary>
public static class Resources
{
    /// <summary>
    /// Disposes <paramref name="resources"/> one after another, in the order given (a service before the proxies,
    /// recorder, virtual host and database it uses); null ones (a proxy the fixture did not start) are skipped. A host
    /// torn down while a request or consumer of its own still ran (a browser's seat-state stream) can meet something
    /// its shutdown already disposed (<see cref="ObjectDisposedException"/>); that is printed with its
    /// stack, to show where, and the resources after it are still released. Any other failure is thrown once all were.
    /// </summary>
    public static async Task DisposeInOrderAsync(params IAsyncDisposable?[] resources)
    {
        var failures = new List<Exception>();
        foreach (var resource in resources)
        {
            if (resource is null)
            {
                continue;
            }

            try
            {
                await resource.DisposeAsync();
            }
            catch (ObjectDisposedException exception)
            {
                Console.Error.WriteLine($"Disposing {resource.GetType().Name} met {exception}");
            }
            catch (Exception exception)
            {
                failures.Add(exception);
            }
        }

        if (failures.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failures[0]);
        }

        if (failures.Count > 1)
        {
            throw new AggregateException(failures);
        }
    }
}
