using Ticketing.Contracts.Tickets;
using Ticketing.Tickets.Admission;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Tests;

/// <summary>
/// The seat ledger's rules at their edges: the second a sale opens, the order expiries are written in, a called-off
/// concert, a cancellation by the wrong fan, what a refused scan tells the gate. Written for the mutants of
/// <see cref="SeatLedgerRules"/> that the other rule tests let survive (docs/RELIABILITY.md, Mutation testing).
/// </summary>
public sealed partial class Seat_ledger_rules
{
    [Fact]
    public void A_hold_is_placed_from_the_very_tick_the_sale_opens_and_not_one_before()
    {
        Placed(Decide(Ledger(saleOpensAt: Now), Seats("fan-1", "A-1-1"), Now));
        Assert.IsType<HoldOutcome.NotOpenYet>(Decide(Ledger(saleOpensAt: Now), Seats("fan-1", "A-1-1"), Now.AddTicks(-1)));
    }

    [Fact]
    public void Holds_expire_in_the_order_of_their_deadlines()
    {
        var ledger = Ledger();
        var later = Placed(Decide(ledger, Seats("fan-1", "A-1-1")));
        var earlier = Placed(Decide(ledger, Seats("fan-2", "A-1-2"), Now.AddSeconds(-30)));

        var decision = SeatLedgerRules.Decide(ledger, new ExpireHolds(), Now + HoldFor);

        Assert.Equal([earlier.HoldId, later.HoldId], decision.Changes.Cast<ReleasedHold>().Select(released => released.HoldId));
    }

    [Fact]
    public void A_hold_still_held_when_sales_stop_cannot_be_checked_out()
    {
        var ledger = Ledger();
        var hold = Placed(Decide(ledger, Seats("fan-1", "A-1-1")));
        Decide(ledger, new StopSales("concert_cancelled"));

        var rejected = Assert.IsType<HoldRejected>(Decide(ledger, new CheckOutHold(new ConfirmHold(Guid.NewGuid(), hold.HoldId, "fan-1"))));

        Assert.Equal(HoldRejectionReasons.SalesStopped, rejected.Reason);
    }

    [Fact]
    public void Before_checkout_only_an_order_of_the_holds_own_fan_gives_it_back()
    {
        var ledger = Ledger();
        var hold = Placed(Decide(ledger, Seats("fan-1", "A-1-1")));

        Assert.Empty(SeatLedgerRules.Decide(ledger, new CancelHoldOrder(hold.HoldId, Guid.NewGuid(), "fan-2", "order_cancelled", WasSold: false), Now).Changes);
        var released = Assert.IsType<ReleasedHold>(
            Assert.Single(SeatLedgerRules.Decide(ledger, new CancelHoldOrder(hold.HoldId, Guid.NewGuid(), "fan-1", "order_cancelled", WasSold: false), Now).Changes));
        Assert.Equal(hold.HoldId, released.HoldId);
    }

    [Fact]
    public void Stopping_sales_voids_the_valid_tickets_once_and_stopping_again_changes_nothing()
    {
        var (ledger, kept, _) = OneSoldOneRefunded("A-1-1", "A-1-2");

        var stop = SeatLedgerRules.Decide(ledger, new StopSales("concert_cancelled"), Now);
        var stopped = Assert.IsType<ConcertSalesStopped>(Assert.Single(stop.Changes));
        Assert.Equal(kept.Tickets.Select(ticket => ticket.TicketId), stopped.VoidedTicketIds);
        ledger.Apply(stopped);

        Assert.Empty(SeatLedgerRules.Decide(ledger, new StopSales("concert_cancelled"), Now).Changes);
    }

    [Fact]
    public void Every_refusal_at_the_gate_says_why_in_words_for_the_staff()
    {
        var (ledger, sale, voided) = OneSoldOneRefunded("B-2-3", "B-2-4");
        var claims = new TicketClaims(sale.Tickets.Single().TicketId, ledger.ConcertId, "B-2-3", "fan-1");
        Decide(ledger, new CheckInTicket(claims), Now.AddHours(2));

        string Detail(TicketClaims scanned) => Assert.IsType<CheckInOutcome.Refused>(Decide(ledger, new CheckInTicket(scanned))).Detail;

        Assert.Equal("This ticket is for another concert.", Detail(claims with { ConcertId = Guid.NewGuid() }));
        Assert.Equal("No ticket was issued with this code.", Detail(claims with { TicketId = Guid.NewGuid() }));
        Assert.Equal("The code does not match the ticket that was sold.", Detail(claims with { FanId = "fan-2" }));
        Assert.Equal("This ticket was voided (refunded).", Detail(new TicketClaims(voided.Tickets.Single().TicketId, ledger.ConcertId, "B-2-4", "fan-2")));
        Assert.Equal("This ticket was scanned at 12:00:00 UTC.", Detail(claims));
    }

    /// <summary>A ledger where fan-1 bought <paramref name="keptSeat"/> and fan-2 bought <paramref name="refundedSeat"/> and was refunded.</summary>
    private static (SeatLedger Ledger, SoldHold Kept, SoldHold Refunded) OneSoldOneRefunded(string keptSeat, string refundedSeat)
    {
        var ledger = Ledger();
        var kept = Sold(ledger, "fan-1", keptSeat);
        var refunded = Sold(ledger, "fan-2", refundedSeat);
        Decide(ledger, new CancelHoldOrder(refunded.HoldId, refunded.OrderId, "fan-2", "refunded", WasSold: true));
        return (ledger, kept, refunded);
    }

    /// <summary>A hold of the seats placed, checked out and sold to one order.</summary>
    private static SoldHold Sold(SeatLedger ledger, string fanId, params string[] seatIds)
    {
        var hold = Placed(Decide(ledger, Seats(fanId, seatIds)));
        var order = Guid.NewGuid();
        Decide(ledger, new CheckOutHold(new ConfirmHold(order, hold.HoldId, fanId)));
        return Assert.IsType<SaleOutcome.Sold>(Decide(ledger, new SellCheckedOutHold(hold.HoldId, order))).Sale;
    }
}
