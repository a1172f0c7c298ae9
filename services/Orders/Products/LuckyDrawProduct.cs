using Marten;
using Ticketing.Contracts.Queue;
using Ticketing.ServiceDefaults.Messaging;

namespace Ticketing.Orders.Products;

/// <summary>A product sold by lucky draw (id: the product's): checkout needs the winner's purchase right.</summary>
public sealed record LuckyDrawProduct(Guid Id, Guid DrawId);

public sealed class LuckyDrawProductConsumer(ISessionFactory sessions, ILogger<LuckyDrawProductConsumer> logger) : BatchConsumer<LuckyDrawOpened>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(LuckyDrawOpened message, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        session.Store(new LuckyDrawProduct(message.ProductId, message.DrawId));
        await session.SaveChangesAsync(cancellationToken);
        return [];
    }
}
