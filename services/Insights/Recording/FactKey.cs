using Ticketing.ServiceDefaults.Persistence;

namespace Ticketing.Insights.Recording;

/// <summary>
/// The identity of a fact Insights records: what happened (<see cref="Kind"/>), to what (<see cref="Subject"/>: the
/// concert, hold, product or order) and, where that can happen to one subject more than once, which time
/// (<see cref="Detail"/>). Every copy of a message reports the same key; the stored event's id is made from it.
/// </summary>
public readonly record struct FactKey(string Kind, Guid Subject, string? Detail = null)
{
    /// <summary>
    /// The stored event's id: begins with the time the subject was made, where its id tells it (a version 7 id, as
    /// every concert, hold, product and order has), so a drop's facts are added at the right edge of the events' unique
    /// index on ids, not all over it (<see cref="NameBasedIds.TimeOrdered"/>); else <see cref="HashedId"/>.
    /// </summary>
    public Guid Id => Ids().Id;

    /// <summary>The id of the key's hash alone: what versions before 2026-12-04 gave every fact.</summary>
    public Guid HashedId => NameBasedIds.Hashed(ToString());

    /// <summary><see cref="Id"/> and <see cref="HashedId"/>, from one hash of the key.</summary>
    public (Guid Id, Guid HashedId) Ids()
    {
        var hashed = HashedId;
        return (NameBasedIds.CreatedAt(Subject) is { } madeAt ? NameBasedIds.TimeOrdered(madeAt, hashed) : hashed, hashed);
    }

    /// <summary>The key as text, e.g. <c>order-cancelled:{orderId}:refund</c>.</summary>
    public override string ToString() => Detail is null ? $"{Kind}:{Subject}" : $"{Kind}:{Subject}:{Detail}";
}
