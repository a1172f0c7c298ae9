using JasperFx.Events;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;
using Ticketing.Orders.Orders;
using Ticketing.ServiceDefaults.Messaging;
using Integration = Ticketing.Contracts.Orders;

namespace Ticketing.Orders.Messaging;

/// <summary>
/// What an order's events ask of the other services, sent through the outbox: a placed order asks Tickets to
/// confirm its hold and the Catalog to reserve its merch (both at once); a confirmed or cancelled order tells the
/// Catalog (and Insights) through OrderConfirmed / OrderCancelled, and Tickets, for an order with a hold only,
/// through SellHold / ReturnHold.
/// </summary>
public sealed class OrdersIntegrationEvents : IIntegrationEventMapper
{
    public IEnumerable<object> ToIntegrationMessages(IEvent domainEvent)
    {
        switch (domainEvent.Data)
        {
            case OrderPlaced placed:
                yield return new Integration.OrderPlaced(
                    placed.OrderId, placed.FanId, placed.HoldId,
                    placed.Items.Select(item => new Integration.OrderedItem(item.ProductId, item.Quantity) { Variant = item.Variant }).ToList(), placed.PlacedAt);
                if (placed.HoldId is { } holdId)
                {
                    yield return new ConfirmHold(placed.OrderId, holdId, placed.FanId);
                }

                if (placed.Items.Count > 0)
                {
                    yield return new ReserveStock(placed.OrderId, placed.FanId, placed.Items.Select(item => new StockLine(item.ProductId, item.Quantity) { Variant = item.Variant }).ToList());
                }

                break;
            case OrderConfirmed confirmed:
                yield return new Integration.OrderConfirmed(confirmed.OrderId, confirmed.FanId, confirmed.HoldId, confirmed.ConfirmedAt)
                {
                    Total = confirmed.Total,
                    Currency = confirmed.Currency,
                };
                if (confirmed.HoldId is { } soldHoldId)
                {
                    yield return new SellHold(confirmed.OrderId, soldHoldId, confirmed.FanId);
                }

                break;
            case OrderCancelled cancelled:
                yield return new Integration.OrderCancelled(
                    cancelled.OrderId, cancelled.FanId, cancelled.HoldId, cancelled.Reason, cancelled.WasConfirmed, cancelled.CancelledAt);
                if (cancelled.HoldId is { } returnedHoldId)
                {
                    yield return new ReturnHold(cancelled.OrderId, returnedHoldId, cancelled.FanId, cancelled.Reason, cancelled.WasConfirmed);
                }

                break;
        }
    }
}
