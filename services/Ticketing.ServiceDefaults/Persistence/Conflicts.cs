using JasperFx;
using JasperFx.Events;

namespace Ticketing.ServiceDefaults.Persistence;

public static class Conflicts
{
    /// <summary>
    /// A write lost a race: a stream moved past the version it was read at, a stream or document it created was
    /// created meanwhile, or a unique index refused a duplicate.
    /// </summary>
    public static bool IsConcurrencyConflict(Exception exception) => exception switch
    {
        ConcurrencyException or EventStreamUnexpectedMaxEventIdException or ExistingStreamIdCollisionException => true,
        Marten.Exceptions.ExistingStreamIdCollisionException or DocumentAlreadyExistsException => true,
        Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation } => true,
        { InnerException: { } inner } => IsConcurrencyConflict(inner),
        _ => false,
    };
}
