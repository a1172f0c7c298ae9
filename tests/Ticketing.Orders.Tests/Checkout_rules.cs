using Ticketing.Contracts.Catalog;
using Ticketing.Contracts.Tickets;
using Ticketing.Orders.Checkout;
using Ticketing.Orders.Orders;
using Ticketing.Orders.Payments;

namespace Ticketing.Orders.Tests;

/// <summary>The checkout's rules as pure decisions on an order's state, without a database or a broker.</summary>
public sealed partial class Checkout_rules
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid HoldId = Guid.Parse("7d4e0a10-0000-4000-8000-000000000001");
    private static readonly Guid ProductId = Guid.Parse("7d4e0a10-0000-4000-8000-000000000002");

    private static Order Placed(bool withHold = true, bool withMerch = true) => Order.Create(new OrderPlaced(
        Guid.Parse("7d4e0a10-0000-4000-8000-000000000003"),
        "fan-1",
        withHold ? HoldId : null,
        withMerch ? [new OrderItem(ProductId, 2)] : [],
        "tok_sim_ok_4242_x",
        "4242",
        Now.AddMinutes(-1),
        Now.AddMinutes(2)));

    private static Order Fold(Order order, IEnumerable<object> events) => events.Aggregate(order, (state, @event) => state.Apply(@event));

    private static HoldConfirmed SeatsHeld(Order order, string currency = "KRW") =>
        new(order.Id, HoldId, order.FanId, Guid.NewGuid(), [new HeldSeat("A-1-1", "VIP", 198000m, currency), new HeldSeat("A-1-2", "VIP", 198000m, currency)], Now);

    private static StockReserved MerchHeld(Order order) =>
        new(order.Id, order.FanId, [new ReservedStockLine(ProductId, "LS-1", "Lightstick", 2, 45000m, "KRW")], Now);

    private static Order Ready() => Fold(Fold(Placed(), CheckoutRules.SeatsSecured(Placed(), SeatsHeld(Placed()), Now)), CheckoutRules.MerchReserved(Placed(), MerchHeld(Placed()), Now));

    [Fact]
    public void The_payment_is_due_only_once_every_part_is_held_and_for_the_whole_total()
    {
        var order = Placed();
        Assert.Null(CheckoutRules.PaymentDue(order, Now));

        order = Fold(order, CheckoutRules.SeatsSecured(order, SeatsHeld(order), Now));
        Assert.Null(CheckoutRules.PaymentDue(order, Now));

        order = Fold(order, CheckoutRules.MerchReserved(order, MerchHeld(order), Now));
        var due = CheckoutRules.PaymentDue(order, Now)!;
        Assert.Equal((order.Id, 2 * 198000m + 2 * 45000m, "KRW"), (due.Authorize!.PaymentKey, due.Authorize.Amount, due.Authorize.Currency));
    }

    [Fact]
    public void An_answer_repeated_or_for_another_hold_changes_nothing()
    {
        var order = Fold(Placed(), CheckoutRules.SeatsSecured(Placed(), SeatsHeld(Placed()), Now));

        Assert.Empty(CheckoutRules.SeatsSecured(order, SeatsHeld(order), Now));
        Assert.Empty(CheckoutRules.SeatsSecured(Placed(), SeatsHeld(Placed()) with { HoldId = Guid.NewGuid() }, Now));
        Assert.Empty(CheckoutRules.MerchReserved(Fold(order, CheckoutRules.MerchReserved(order, MerchHeld(order), Now)), MerchHeld(order), Now));
    }

    [Fact]
    public void An_approved_payment_confirms_the_order_and_a_declined_one_cancels_it()
    {
        var order = Ready();

        var approved = CheckoutRules.Paid(order, new AuthorizationResult(true, "auth_1", null), Now);
        Assert.Equal([typeof(PaymentAuthorized), typeof(OrderConfirmed)], approved.Select(e => e.GetType()));
        Assert.Equal(OrderStatus.Confirmed, Fold(order, approved).Status);

        var declined = CheckoutRules.Paid(order, new AuthorizationResult(false, null, "card_declined"), Now);
        var cancelled = Fold(order, declined);
        Assert.Equal((OrderStatus.Cancelled, CancellationReasons.PaymentDeclined), (cancelled.Status, cancelled.Reason));
    }

    [Fact]
    public void Lines_in_two_currencies_are_not_charged_but_cancelled()
    {
        var order = Fold(Placed(withMerch: true), CheckoutRules.SeatsSecured(Placed(), SeatsHeld(Placed(), currency: "JPY"), Now));
        order = Fold(order, CheckoutRules.MerchReserved(order, MerchHeld(order), Now));

        var due = CheckoutRules.PaymentDue(order, Now)!;

        Assert.Null(due.Authorize);
        Assert.Equal(CancellationReasons.CurrencyMismatch, Fold(order, due.Events).Reason);
    }

    [Fact]
    public void A_refused_part_cancels_the_order_with_the_reason_the_fan_reads()
    {
        var order = Placed();

        Assert.Equal(CancellationReasons.HoldExpired,
            Fold(order, CheckoutRules.SeatsRefused(order, new HoldRejected(order.Id, HoldId, "fan-1", HoldRejectionReasons.Expired, Now), Now)).Reason);
        Assert.Equal(CancellationReasons.HoldInvalid,
            Fold(order, CheckoutRules.SeatsRefused(order, new HoldRejected(order.Id, HoldId, "fan-1", HoldRejectionReasons.NotYours, Now), Now)).Reason);
        Assert.Equal(CancellationReasons.OutOfStock,
            Fold(order, CheckoutRules.MerchRefused(order, new StockReservationRejected(order.Id, "fan-1", StockRejectionReasons.OutOfStock, ProductId, Now), Now)).Reason);
        Assert.Equal(CancellationReasons.LimitExceeded,
            Fold(order, CheckoutRules.MerchRefused(order, new StockReservationRejected(order.Id, "fan-1", StockRejectionReasons.LimitExceeded, ProductId, Now), Now)).Reason);
        Assert.Empty(CheckoutRules.MerchRefused(order, new StockReservationRejected(order.Id, "fan-1", StockRejectionReasons.OrderCancelled, null, Now), Now));
    }

    [Fact]
    public void A_pending_order_times_out_at_its_deadline_and_an_ended_one_never_does()
    {
        var order = Placed();

        Assert.Empty(CheckoutRules.TimeOut(order, order.Deadline.AddSeconds(-1)));
        Assert.Equal(CancellationReasons.Timeout, Fold(order, CheckoutRules.TimeOut(order, order.Deadline)).Reason);

        var confirmed = Fold(Ready(), CheckoutRules.Paid(Ready(), new AuthorizationResult(true, "auth_1", null), Now));
        Assert.Empty(CheckoutRules.TimeOut(confirmed, confirmed.Deadline.AddHours(1)));
        Assert.Empty(CheckoutRules.Paid(Fold(order, CheckoutRules.TimeOut(order, order.Deadline)), new AuthorizationResult(true, "late", null), Now));
    }

    [Fact]
    public void An_operator_cancels_a_pending_order_and_refunds_a_confirmed_one_and_the_cancellation_names_the_hold_to_give_back()
    {
        var pending = Fold(Placed(), CheckoutRules.CancelByOperator(Placed(), Now));
        Assert.Equal(CancellationReasons.CancelledByOperator, pending.Reason);

        var confirmed = Fold(Ready(), CheckoutRules.Paid(Ready(), new AuthorizationResult(true, "auth_1", null), Now));
        var refund = CheckoutRules.CancelByOperator(confirmed, Now);
        var refunded = Assert.IsType<PaymentRefunded>(refund[0]);
        var cancelled = Assert.IsType<OrderCancelled>(refund[1]);
        Assert.Equal(confirmed.Total, refunded.Amount);
        Assert.True(cancelled.WasConfirmed);
        Assert.Equal((CancellationReasons.Refunded, HoldId), (cancelled.Reason, cancelled.HoldId));
        Assert.Empty(CheckoutRules.CancelByOperator(Fold(confirmed, refund), Now));
    }

    [Fact]
    public void The_drawn_photocards_join_a_confirmed_order_once()
    {
        var order = Placed(withHold: false);
        var committed = new StockCommitted(order.Id, [new StockLine(ProductId, 2)], Now)
        {
            FanId = order.FanId,
            Inclusions = [new DrawnInclusion(ProductId, "A", "Photocard", "M1", "Mina"), new DrawnInclusion(ProductId, "A", "Photocard", "M3", "Jia")],
        };

        var drawn = Fold(order, CheckoutRules.InclusionsDrawn(order, committed, Now));

        Assert.Equal(["Mina", "Jia"], drawn.Inclusions.Select(card => card.ItemName));
        Assert.Empty(CheckoutRules.InclusionsDrawn(drawn, committed, Now));
        Assert.Empty(CheckoutRules.InclusionsDrawn(order, new StockCommitted(order.Id, [], Now), Now));
    }

    [Fact]
    public void A_called_off_concert_cancels_its_pending_orders_and_refunds_its_confirmed_ones_in_full_and_leaves_other_concerts_alone()
    {
        var secured = Fold(Placed(), CheckoutRules.SeatsSecured(Placed(), SeatsHeld(Placed()), Now));
        var concertId = secured.ConcertId!.Value;
        Assert.Empty(CheckoutRules.ConcertCancelled(secured, Guid.NewGuid(), Now));

        var pending = Fold(secured, CheckoutRules.ConcertCancelled(secured, concertId, Now));
        Assert.Equal((OrderStatus.Cancelled, CancellationReasons.ConcertCancelled), (pending.Status, pending.Reason));

        var confirmed = Fold(Ready(), CheckoutRules.Paid(Ready(), new AuthorizationResult(true, "auth_1", null), Now));
        var refund = CheckoutRules.ConcertCancelled(confirmed, confirmed.ConcertId!.Value, Now);
        Assert.Equal(confirmed.Total, Assert.IsType<PaymentRefunded>(refund[0]).Amount);
        var cancelled = Assert.IsType<OrderCancelled>(refund[1]);
        Assert.True(cancelled.WasConfirmed);
        Assert.Equal((CancellationReasons.ConcertCancelled, HoldId), (cancelled.Reason, cancelled.HoldId));
        Assert.Empty(CheckoutRules.ConcertCancelled(Fold(confirmed, refund), confirmed.ConcertId.Value, Now));
    }
}
