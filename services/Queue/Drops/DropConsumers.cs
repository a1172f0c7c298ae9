using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;
using Ticketing.Queue.Fairness;
using Ticketing.ServiceDefaults.Messaging;

namespace Ticketing.Queue.Drops;

/// <summary>
/// Opens a drop's waiting room when the Catalog publishes a concert or product with one: the drop's stream starts with
/// <see cref="DropAnnounced"/>, carrying the general room's secret seed and its commitment. A redelivery finds the
/// stream and does nothing.
/// </summary>
public sealed class DropAnnouncements(DropStreamWriter writer, DropStates drops, TimeProvider time)
{
    public async Task AnnounceAsync(Guid dropId, DropKind kind, string title, string artist, DateTimeOffset saleOpensAt, WaitingRoom room, CancellationToken cancellationToken)
    {
        var seed = Draw.NewSeed();
        var announced = new DropAnnounced(
            dropId, kind, title, artist, room.OpensAt, saleOpensAt, room.AdmissionsPerMinute, room.MaxActive, room.PassMinutes,
            seed, Draw.Commitment(seed), time.GetUtcNow());
        await writer.StartAsync(dropId, announced, cancellationToken);
        await drops.CatchUpAsync(dropId, cancellationToken);
    }
}

public sealed class ConcertDropConsumer(DropAnnouncements announcements, ILogger<ConcertDropConsumer> logger) : BatchConsumer<ConcertPublished>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(ConcertPublished concert, CancellationToken cancellationToken)
    {
        if (concert.WaitingRoom is { } room)
        {
            await announcements.AnnounceAsync(concert.ConcertId, DropKind.Concert, concert.Title, concert.Artist, concert.SaleOpensAt, room, cancellationToken);
        }

        return [];
    }
}

public sealed class ProductDropConsumer(DropAnnouncements announcements, ILogger<ProductDropConsumer> logger) : BatchConsumer<ProductPublished>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(ProductPublished product, CancellationToken cancellationToken)
    {
        if (product.WaitingRoom is { } room)
        {
            await announcements.AnnounceAsync(
                product.ProductId, DropKind.Product, product.Name, product.Artist, product.ReleaseAt ?? product.PublishedAt, room, cancellationToken);
        }

        return [];
    }
}

/// <summary>
/// What the other services say about a drop: cancelled (the room closes), sold out, or back on sale. Each is appended
/// only when it changes something, so redeliveries add nothing.
/// </summary>
public sealed class DropAvailability(DropStreamWriter writer, DropStates drops)
{
    public async Task<IReadOnlyList<object>> ChangeAsync(Guid dropId, Func<DropState, object?> decide, CancellationToken cancellationToken)
    {
        if (await drops.FindOrReadAsync(dropId, cancellationToken) is not { } drop)
        {
            return []; // not a drop with a waiting room
        }

        await writer.AppendDecidedAsync(dropId, async token =>
        {
            await drops.CatchUpAsync(dropId, token);
            return decide(drop) is { } change ? [change] : [];
        }, cancellationToken);
        await drops.CatchUpAsync(dropId, cancellationToken);
        return [];
    }

    public static object? SoldOut(DropState drop, DateTimeOffset at) =>
        drop.SoldOut || at < drop.AvailabilityChangedAt ? null : new DropSoldOut(drop.DropId, at);

    public static object? BackOnSale(DropState drop, DateTimeOffset at) =>
        drop.SoldOut && at >= drop.AvailabilityChangedAt ? new DropBackOnSale(drop.DropId, at) : null;
}

public sealed class DropCancelledConsumer(DropAvailability availability, ILogger<DropCancelledConsumer> logger) : BatchConsumer<ConcertCancelled>(logger)
{
    protected override Task<IReadOnlyList<object>> HandleAsync(ConcertCancelled cancelled, CancellationToken cancellationToken) =>
        availability.ChangeAsync(
            cancelled.ConcertId, drop => drop.ClosedReason is null ? new DropClosed(drop.DropId, "cancelled", cancelled.CancelledAt) : null, cancellationToken);
}

public sealed class ConcertSoldOutConsumer(DropAvailability availability, ILogger<ConcertSoldOutConsumer> logger) : BatchConsumer<ConcertSoldOut>(logger)
{
    protected override Task<IReadOnlyList<object>> HandleAsync(ConcertSoldOut soldOut, CancellationToken cancellationToken) =>
        availability.ChangeAsync(soldOut.ConcertId, drop => DropAvailability.SoldOut(drop, soldOut.SoldOutAt), cancellationToken);
}

public sealed class ConcertSeatsAvailableAgainConsumer(DropAvailability availability, ILogger<ConcertSeatsAvailableAgainConsumer> logger)
    : BatchConsumer<ConcertSeatsAvailableAgain>(logger)
{
    protected override Task<IReadOnlyList<object>> HandleAsync(ConcertSeatsAvailableAgain again, CancellationToken cancellationToken) =>
        availability.ChangeAsync(again.ConcertId, drop => DropAvailability.BackOnSale(drop, again.At), cancellationToken);
}

public sealed class ProductSoldOutConsumer(DropAvailability availability, ILogger<ProductSoldOutConsumer> logger) : BatchConsumer<ProductSoldOut>(logger)
{
    protected override Task<IReadOnlyList<object>> HandleAsync(ProductSoldOut soldOut, CancellationToken cancellationToken) =>
        availability.ChangeAsync(soldOut.ProductId, drop => DropAvailability.SoldOut(drop, soldOut.SoldOutAt), cancellationToken);
}

public sealed class ProductBackInStockConsumer(DropAvailability availability, ILogger<ProductBackInStockConsumer> logger) : BatchConsumer<ProductBackInStock>(logger)
{
    protected override Task<IReadOnlyList<object>> HandleAsync(ProductBackInStock again, CancellationToken cancellationToken) =>
        availability.ChangeAsync(again.ProductId, drop => DropAvailability.BackOnSale(drop, again.At), cancellationToken);
}
