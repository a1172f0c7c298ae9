using Marten;
using Ticketing.Contracts.Catalog;
using Ticketing.ServiceDefaults.Messaging;

namespace Ticketing.Queue.LuckyDraws;

/// <summary>
/// A winner bought the item: the Catalog's StockCommitted (the order's units sold, with its fan) marks their right
/// claimed, so it is not passed on. Idempotent: a claimed right stays claimed. Every merch sale reaches this consumer
/// and almost none is of a product with a lucky draw: one query per delivery finds the products that have one, and
/// only a sale of one of them reads and changes its draw (two claims on one draw at once: the second fails on the
/// draw's version and is retried alone).
/// </summary>
public sealed class LuckyDrawClaimConsumer(IDocumentStore store, ILogger<LuckyDrawClaimConsumer> logger) : BatchConsumer<StockCommitted>(logger)
{
    private IReadOnlySet<Guid> productsWithDraws = new HashSet<Guid>();

    protected override async Task PrepareAsync(IReadOnlyList<StockCommitted> messages, CancellationToken cancellationToken)
    {
        var productIds = messages.SelectMany(message => message.Lines).Select(line => line.ProductId).Distinct().ToArray();
        if (productIds.Length == 0)
        {
            return;
        }

        await using var session = store.QuerySession();
        productsWithDraws = (await session.Query<LuckyDraw>()
            .Where(draw => draw.Status == LuckyDrawStatus.Drawn && draw.ProductId.IsOneOf(productIds))
            .Select(draw => draw.ProductId)
            .ToListAsync(cancellationToken)).ToHashSet();
    }

    protected override async Task<IReadOnlyList<object>> HandleAsync(StockCommitted message, CancellationToken cancellationToken)
    {
        var productIds = message.Lines.Select(line => line.ProductId).Where(productsWithDraws.Contains).Distinct().ToList();
        if (message.FanId.Length == 0 || productIds.Count == 0)
        {
            return [];
        }

        await using var session = store.LightweightSession();
        var draws = await session.Query<LuckyDraw>()
            .Where(draw => draw.Status == LuckyDrawStatus.Drawn && productIds.Contains(draw.ProductId))
            .ToListAsync(cancellationToken);
        foreach (var draw in draws)
        {
            var claimed = LuckyDrawRules.Claimed(draw, message.FanId, message.OrderId);
            if (!ReferenceEquals(claimed, draw))
            {
                session.Update(claimed);
            }
        }

        await session.SaveChangesAsync(cancellationToken);
        return [];
    }
}
