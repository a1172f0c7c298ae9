using MassTransit;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;
using Ticketing.Queue.Fairness;

namespace Ticketing.Queue.Drops;

/// <summary>
/// Opens a drop's waiting room when the Catalog publishes a concert or product with one: the drop's stream starts with
/// <see cref="DropAnnounced"/>, carrying the general room's secret seed and its commitment. A redelivery finds the
/// stream and does nothing.
/// </summary>
public sealed class DropAnnouncementConsumer(DropStreamWriter writer, DropStates drops, TimeProvider time)
    : IConsumer<ConcertPublished>, IConsumer<ProductPublished>
{
    public Task Consume(ConsumeContext<ConcertPublished> context)
    {
        var concert = context.Message;
        return concert.WaitingRoom is { } room
            ? AnnounceAsync(concert.ConcertId, DropKind.Concert, concert.Title, concert.Artist, concert.SaleOpensAt, room, context.CancellationToken)
            : Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ProductPublished> context)
    {
        var product = context.Message;
        return product.WaitingRoom is { } room
            ? AnnounceAsync(product.ProductId, DropKind.Product, product.Name, product.Artist, product.ReleaseAt ?? product.PublishedAt, room, context.CancellationToken)
            : Task.CompletedTask;
    }

    private async Task AnnounceAsync(Guid dropId, DropKind kind, string title, string artist, DateTimeOffset saleOpensAt, WaitingRoom room, CancellationToken cancellationToken)
    {
        var seed = Draw.NewSeed();
        var announced = new DropAnnounced(
            dropId, kind, title, artist, room.OpensAt, saleOpensAt, room.AdmissionsPerMinute, room.MaxActive, room.PassMinutes,
            seed, Draw.Commitment(seed), time.GetUtcNow());
        await writer.StartAsync(dropId, announced, cancellationToken);
        await drops.CatchUpAsync(dropId, cancellationToken);
    }
}

/// <summary>
/// What the other services say about a drop: cancelled (the room closes), sold out, or back on sale. Each is appended
/// only when it changes something, so redeliveries add nothing.
/// </summary>
public sealed class DropAvailabilityConsumer(DropStreamWriter writer, DropStates drops)
    : IConsumer<ConcertCancelled>,
      IConsumer<ConcertSoldOut>,
      IConsumer<ConcertSeatsAvailableAgain>,
      IConsumer<ProductSoldOut>,
      IConsumer<ProductBackInStock>
{
    public Task Consume(ConsumeContext<ConcertCancelled> context) =>
        ChangeAsync(context.Message.ConcertId, drop => drop.ClosedReason is null ? new DropClosed(drop.DropId, "cancelled", context.Message.CancelledAt) : null, context.CancellationToken);

    public Task Consume(ConsumeContext<ConcertSoldOut> context) =>
        ChangeAsync(context.Message.ConcertId, drop => drop.SoldOut || context.Message.SoldOutAt < drop.AvailabilityChangedAt ? null : new DropSoldOut(drop.DropId, context.Message.SoldOutAt), context.CancellationToken);

    public Task Consume(ConsumeContext<ConcertSeatsAvailableAgain> context) =>
        ChangeAsync(context.Message.ConcertId, drop => drop.SoldOut && context.Message.At >= drop.AvailabilityChangedAt ? new DropBackOnSale(drop.DropId, context.Message.At) : null, context.CancellationToken);

    public Task Consume(ConsumeContext<ProductSoldOut> context) =>
        ChangeAsync(context.Message.ProductId, drop => drop.SoldOut || context.Message.SoldOutAt < drop.AvailabilityChangedAt ? null : new DropSoldOut(drop.DropId, context.Message.SoldOutAt), context.CancellationToken);

    public Task Consume(ConsumeContext<ProductBackInStock> context) =>
        ChangeAsync(context.Message.ProductId, drop => drop.SoldOut && context.Message.At >= drop.AvailabilityChangedAt ? new DropBackOnSale(drop.DropId, context.Message.At) : null, context.CancellationToken);

    private async Task ChangeAsync(Guid dropId, Func<DropState, object?> decide, CancellationToken cancellationToken)
    {
        if (await drops.FindOrReadAsync(dropId, cancellationToken) is not { } drop)
        {
            return; // not a drop with a waiting room
        }

        await writer.AppendDecidedAsync(dropId, async token =>
        {
            await drops.CatchUpAsync(dropId, token);
            return decide(drop) is { } change ? [change] : [];
        }, cancellationToken);
        await drops.CatchUpAsync(dropId, cancellationToken);
    }
}
