using Ticketing.Orders.Checkout;
using Ticketing.Orders.Orders;
using Ticketing.Orders.Payments;

namespace Ticketing.Orders.Tests;

/// <summary>
/// What a cancellation before payment tells the other services: the decline code as the processor gave it (or
/// <c>declined</c> when it gave none), and that the order was never confirmed, so nothing is refunded. Written for the
/// mutants of <see cref="CheckoutRules"/> that the other rule tests let survive (docs/RELIABILITY.md, Mutation testing).
/// </summary>
public sealed partial class Checkout_rules
{
    [Theory]
    [InlineData("insufficient_funds", "insufficient_funds")]
    [InlineData(null, "declined")]
    public void A_declined_payment_records_the_processors_code_and_cancels_an_order_that_was_never_confirmed(string? code, string recorded)
    {
        var declined = CheckoutRules.Paid(Ready(), new AuthorizationResult(false, null, code), Now);

        Assert.Equal(recorded, Assert.IsType<PaymentDeclined>(declined[0]).DeclineCode);
        Assert.False(Assert.IsType<OrderCancelled>(declined[1]).WasConfirmed);
    }

    [Fact]
    public void A_pending_order_cancelled_for_any_reason_was_never_confirmed()
    {
        var cancelled = Assert.IsType<OrderCancelled>(Assert.Single(CheckoutRules.Cancel(Ready(), CancellationReasons.Timeout, Now)));

        Assert.False(cancelled.WasConfirmed);
        Assert.Equal(CancellationReasons.Timeout, cancelled.Reason);
    }
}
