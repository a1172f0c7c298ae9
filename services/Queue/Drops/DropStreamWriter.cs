using Marten;
using Npgsql;

namespace Ticketing.Queue.Drops;

/// <summary>
/// Appends to a drop's stream under the drop's lock: a PostgreSQL advisory lock held by the appending transaction
/// until it commits. Joins, admissions and everything else of one drop therefore commit one after another, so the
/// stream's versions (and sequence numbers) follow commit order with no gaps, which is what lets every instance fold
/// the stream by version and call its order the order of arrival.
/// </summary>
public sealed class DropStreamWriter(ISessionFactory sessions)
{
    /// <summary>Appends <paramref name="events"/> to the drop's stream.</summary>
    public Task<Appended> AppendAsync(Guid dropId, IReadOnlyList<object> events, CancellationToken cancellationToken) =>
        AppendDecidedAsync(dropId, _ => Task.FromResult(events), cancellationToken);

    /// <summary>
    /// Takes the drop's lock, then asks <paramref name="decide"/> what to append (nothing else can append to the drop
    /// meanwhile, so a decision made on the state read after taking the lock is made on the latest state), appends it
    /// and commits. Returns what was appended, and the stream's version before it.
    /// </summary>
    public async Task<Appended> AppendDecidedAsync(
        Guid dropId, Func<CancellationToken, Task<IReadOnlyList<object>>> decide, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        await session.BeginTransactionAsync(cancellationToken);
        // Two statements in one round trip: the version is read by a statement of its own, whose snapshot is taken
        // after the lock was granted (a subquery in the locking statement would see the stream as it was before the wait).
        long versionBefore;
        await using (var command = new NpgsqlCommand(
            $"SELECT pg_advisory_xact_lock(@key); SELECT version FROM {session.DocumentStore.Options.Events.DatabaseSchemaName}.mt_streams WHERE id = @drop",
            (NpgsqlConnection)session.Connection!))
        {
            command.Parameters.AddWithValue("key", LockKey(dropId));
            command.Parameters.AddWithValue("drop", dropId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            versionBefore = await reader.ReadAsync(cancellationToken)
                ? Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)
                : 0;
        }

        var events = await decide(cancellationToken);
        if (events.Count == 0)
        {
            return new Appended(events, versionBefore);
        }

        session.Events.Append(dropId, events);
        await session.SaveChangesAsync(cancellationToken);
        return new Appended(events, versionBefore);
    }

    /// <summary>Starts a drop's stream with its announcement; false when it exists already (a redelivery).</summary>
    public async Task<bool> StartAsync(Guid dropId, DropAnnounced announced, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        if (await session.Events.FetchStreamStateAsync(dropId, cancellationToken) is not null)
        {
            return false;
        }

        session.Events.StartStream(dropId, announced);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (Ticketing.ServiceDefaults.Persistence.Conflicts.IsConcurrencyConflict(exception))
        {
            return false; // the same announcement, delivered twice at once
        }
    }

    /// <summary>What an append wrote: the events, at versions <c>VersionBefore + 1</c> onwards.</summary>
    public sealed record Appended(IReadOnlyList<object> Events, long VersionBefore)
    {
        public IReadOnlyList<DropEvent> AsDropEvents() => Events.Select((data, index) => new DropEvent(VersionBefore + 1 + index, data)).ToList();
    }

    /// <summary>The drop's advisory lock key: its id folded to 64 bits (the admission runner's lock is a constant, not a drop's).</summary>
    public static long LockKey(Guid dropId)
    {
        Span<byte> bytes = stackalloc byte[16];
        dropId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }
}
