using Npgsql;

namespace Ticketing.ServiceDefaults.Persistence;

public static class TransientFailures
{
    /// <summary>
    /// The database could not be reached or refused work for a while (connection lost or refused, server shutting
    /// down or starting, too many connections, a timeout): trying again later will do, whatever the request was.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
                or PostgresErrorCodes.LockNotAvailable or PostgresErrorCodes.QueryCanceled,
        NpgsqlException npgsql when npgsql.IsTransient => true,
        TimeoutException or System.Net.Sockets.SocketException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsTransient),
        { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };
}
