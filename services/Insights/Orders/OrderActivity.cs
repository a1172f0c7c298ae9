using JasperFx.Events;
using Marten.Events.Projections;
using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Orders;
using Ticketing.Contracts.Tickets;

namespace Ticketing.Insights.Orders;

public enum OrderActivityStatus
{
    Pending,
    Confirmed,
    Cancelled,
    Refunded,
}

public sealed record OrderedSeats(string Tier, int Quantity);

public sealed record OrderedMerch(Guid ProductId, string Name, int Quantity);

/// <summary>One order as operators follow it: what it is for, where it stands, and why it ended.</summary>
public sealed class OrderActivity
{
    public Guid Id { get; set; }
    public string FanId { get; set; } = "";
    public OrderActivityStatus Status { get; set; }
    public string? Reason { get; set; }
    public Guid? ConcertId { get; set; }
    public List<OrderedSeats> Seats { get; set; } = [];
    public List<OrderedMerch> Merch { get; set; } = [];
    public int ItemCount { get; set; }
    public decimal Total { get; set; }
    public string Currency { get; set; } = "";

    /// <summary>When it was placed; a far-past value until the OrderPlaced message is recorded.</summary>
    public DateTimeOffset PlacedAt { get; set; }

    public DateTimeOffset? ConfirmedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// An order's status only moves forward (pending, confirmed, then cancelled or refunded), so a late OrderPlaced does
/// not reopen a finished order.
/// </summary>
public sealed class OrderActivityProjection : MultiStreamProjection<OrderActivity, Guid>
{
    public OrderActivityProjection()
    {
        Identity<OrderPlaced>(e => e.OrderId);
        Identity<HoldConfirmed>(e => e.OrderId);
        Identity<StockReserved>(e => e.OrderId);
        Identity<OrderConfirmed>(e => e.OrderId);
        Identity<OrderCancelled>(e => e.OrderId);
    }

    public override OrderActivity? Evolve(OrderActivity? snapshot, Guid id, IEvent e)
    {
        if (e.Data is not (OrderPlaced or HoldConfirmed or StockReserved or OrderConfirmed or OrderCancelled))
        {
            return snapshot;
        }

        var order = snapshot ?? new OrderActivity { Id = id, PlacedAt = DateTimeOffset.MinValue };
        switch (e.Data)
        {
            case OrderPlaced placed:
                order.FanId = placed.FanId;
                order.PlacedAt = placed.PlacedAt;
                order.ItemCount = placed.Items.Sum(item => item.Quantity);
                Touch(order, placed.PlacedAt);
                break;
            case HoldConfirmed hold:
                order.FanId = hold.FanId;
                order.ConcertId = hold.ConcertId;
                order.Seats = hold.Seats.GroupBy(seat => seat.Tier).Select(group => new OrderedSeats(group.Key, group.Count())).ToList();
                Touch(order, hold.ConfirmedAt);
                break;
            case StockReserved reserved:
                order.Merch = reserved.Lines.Select(line => new OrderedMerch(line.ProductId, line.Name, line.Quantity)).ToList();
                Touch(order, reserved.ReservedAt);
                break;
            case OrderConfirmed confirmed:
                if (order.Status == OrderActivityStatus.Pending)
                {
                    order.Status = OrderActivityStatus.Confirmed;
                }

                order.ConfirmedAt = confirmed.ConfirmedAt;
                order.Total = confirmed.Total;
                order.Currency = confirmed.Currency;
                Touch(order, confirmed.ConfirmedAt);
                break;
            case OrderCancelled { WasConfirmed: true } refunded:
                order.Status = OrderActivityStatus.Refunded;
                order.Reason = refunded.Reason;
                order.EndedAt = refunded.CancelledAt;
                Touch(order, refunded.CancelledAt);
                break;
            case OrderCancelled cancelled:
                if (order.Status != OrderActivityStatus.Refunded)
                {
                    order.Status = OrderActivityStatus.Cancelled;
                    order.Reason = cancelled.Reason;
                    order.EndedAt = cancelled.CancelledAt;
                }

                Touch(order, cancelled.CancelledAt);
                break;
        }

        return order;
    }

    private static void Touch(OrderActivity order, DateTimeOffset at)
    {
        if (at > order.UpdatedAt)
        {
            order.UpdatedAt = at;
        }
    }
}
