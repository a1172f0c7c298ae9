using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Ticketing.Queue.Drops;
using Ticketing.ServiceDefaults.Batching;

namespace Ticketing.Queue.Entries;

/// <summary>A fan asking for a place in a room (with the hash of a membership code, for the presale).</summary>
public sealed record JoinAttempt(string FanId, string Room, string? CodeHash);

/// <summary>
/// Records joins by group commit: the joins of a drop that arrive while one group is being committed wait and form
/// the next group, written as one <see cref="EntriesJoined"/> event in one transaction. A thousand fans arriving in
/// the same second cost a few commits, not a thousand. Each join's answer comes after its group committed and this
/// instance read the stream back, so it is the place the stream says (a fan who joined twice at once, through two
/// instances, has the first place).
/// </summary>
public sealed class JoinRecorder(DropStreamWriter writer, DropStates drops, IOptions<QueueOptions> options, TimeProvider time) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, Lazy<GroupCommitQueue<JoinAttempt, Guid>>> groups = new();

    /// <summary>
    /// Records the join; returns the entry id written for it (the fan's place may be an earlier one), or
    /// <see cref="Guid.Empty"/> when the same group already carried a join of this fan to this room: one entry is written
    /// for both, and only the first join is the one that created it (201; the others answer 200 with the same place).
    /// </summary>
    public Task<Guid> RecordAsync(Guid dropId, JoinAttempt attempt, CancellationToken cancellationToken) =>
        groups.GetOrAdd(dropId, id => new Lazy<GroupCommitQueue<JoinAttempt, Guid>>(() =>
                new GroupCommitQueue<JoinAttempt, Guid>("queue.joins", (group, token) => WriteAsync(id, group, token), options.Value.MaxJoinGroup)))
            .Value.SubmitAsync(attempt, cancellationToken);

    private async Task<IReadOnlyList<Guid>> WriteAsync(Guid dropId, IReadOnlyList<JoinAttempt> group, CancellationToken cancellationToken)
    {
        var written = new HashSet<(string Fan, string Room)>();
        var entries = new List<JoinedEntry>(group.Count);
        var ids = new Guid[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            var attempt = group[i];
            if (!written.Add((attempt.FanId, attempt.Room)))
            {
                ids[i] = Guid.Empty; // a second join of the fan in this group: the first one's entry is their place
                continue;
            }

            var id = Guid.NewGuid(); // random: an entry id says nothing about the fan or the time they came
            entries.Add(new JoinedEntry(id, attempt.FanId, attempt.Room, attempt.CodeHash));
            ids[i] = id;
        }

        var appended = await writer.AppendAsync(dropId, [new EntriesJoined(dropId, entries, time.GetUtcNow())], cancellationToken);
        await drops.ApplyOwnAsync(dropId, appended, cancellationToken);
        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var group in groups.Values.Where(group => group.IsValueCreated))
        {
            await group.Value.DisposeAsync();
        }
    }
}
