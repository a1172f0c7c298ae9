using Marten;
using Ticketing.Contracts.Catalog;
using Ticketing.ServiceDefaults.Messaging;

namespace Ticketing.Queue.LuckyDraws;

/// <summary>
/// A winner bought the item: the Catalog's StockCommitted (the order's units sold, with its fan) marks their right
/// claimed, so it is not passed on. Idempotent: a claimed right stays claimed.
/// </summary>
public sealed class LuckyDrawClaimConsumer(IDocumentStore store, ILogger<LuckyDrawClaimConsumer> logger) : BatchConsumer<StockCommitted>(logger)
{
    protected override async Task<IReadOnlyList<object>> HandleAsync(StockCommitted message, CancellationToken cancellationToken)
    {
        var productIds = message.Lines.Select(line => line.ProductId).Distinct().ToList();
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
