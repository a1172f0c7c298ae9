using Ticketing.Contracts.Tickets;
using Ticketing.Tickets.Admission;
using Ticketing.Tickets.Holds;
using Ticketing.Tickets.Inventory;
using Ticketing.Tickets.Ledger;

namespace Ticketing.Tickets.Tests;

/// <summary>
/// The seat ledger's rules as pure decisions, without a database: each command decided on the ledger's state and a
/// time, its changes applied before the next one is decided, as the concert's writer does.
/// </summary>
public sealed partial class Seat_ledger_rules
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan HoldFor = TimeSpan.FromMinutes(7);

    /// <summary>Section A (VIP): rows 1 and 2 of 4 seats. Section B (R): rows 1 to 3 of 6 seats. Limit 4 per fan.</summary>
    private static SeatLedger Ledger(int limit = 4, DateTimeOffset? saleOpensAt = null) =>
        new(SeatLayout.Of(Inventory(limit, saleOpensAt)), Inventory(limit, saleOpensAt));

    private static ConcertInventory Inventory(int limit, DateTimeOffset? saleOpensAt) => ConcertInventory.Create(new InventoryOpened(
        Guid.Parse("5f0c4d2e-0000-4000-8000-000000000001"),
        "NOVA",
        "First Light",
        Now.AddDays(30),
        saleOpensAt ?? Now.AddMinutes(-1),
        limit,
        [new TierPrice("VIP", "VIP floor", 198000m, "KRW"), new TierPrice("R", "R seat", 154000m, "KRW")],
        [
            new InventorySection("A", "VIP", [new InventoryRow("1", 4), new InventoryRow("2", 4)]),
            new InventorySection("B", "R", [new InventoryRow("1", 6), new InventoryRow("2", 6), new InventoryRow("3", 6)]),
        ],
        Now.AddDays(-1)));

    /// <summary>Decides the command and applies its changes, as the writer does within a batch.</summary>
    private static object Decide(SeatLedger ledger, LedgerCommand command, DateTimeOffset? at = null)
    {
        var decision = SeatLedgerRules.Decide(ledger, command, at ?? Now);
        foreach (var change in decision.Changes)
        {
            ledger.Apply(change);
        }

        return decision.Outcome;
    }

    private static PlaceHold Seats(string fanId, params string[] seatIds) =>
        new(Guid.NewGuid(), fanId, new HoldSelection(seatIds, null, null), HoldFor, CancellationToken.None);

    private static PlaceHold Best(string fanId, string tier, int quantity) =>
        new(Guid.NewGuid(), fanId, new HoldSelection(null, tier, quantity), HoldFor, CancellationToken.None);

    private static PlacedHold Placed(object outcome) => Assert.IsType<HoldOutcome.Placed>(outcome).Hold;

    private static IEnumerable<string> SeatIds(PlacedHold hold) => hold.Seats.Select(seat => seat.SeatId);

    [Fact]
    public void Specific_seats_are_held_with_their_tier_price_and_expiry()
    {
        var ledger = Ledger();

        var hold = Placed(Decide(ledger, Seats("fan-1", "A-1-1", "A-1-2")));

        Assert.Equal(["A-1-1", "A-1-2"], SeatIds(hold));
        Assert.All(hold.Seats, seat => Assert.Equal((198000m, "KRW", "VIP"), (seat.Price, seat.Currency, seat.Tier)));
        Assert.Equal(Now + HoldFor, hold.ExpiresAt);
        Assert.Equal(SeatStatus.Held, ledger.StatusOf(ledger.Layout.IndexOf["A-1-1"]));
    }

    [Fact]
    public void A_seat_already_held_refuses_the_whole_request_and_names_the_taken_seat()
    {
        var ledger = Ledger();
        Decide(ledger, Seats("fan-1", "A-1-2"));

        var refused = Assert.IsType<HoldOutcome.SeatsTaken>(Decide(ledger, Seats("fan-2", "A-1-1", "A-1-2")));

        Assert.Equal(["A-1-2"], refused.SeatIds);
        Assert.Equal(SeatStatus.Available, ledger.StatusOf(ledger.Layout.IndexOf["A-1-1"]));
    }

    [Fact]
    public void Best_available_takes_adjacent_seats_in_the_front_row_first()
    {
        var ledger = Ledger();
        Decide(ledger, Seats("fan-1", "B-1-2"));
        Decide(ledger, Seats("fan-2", "B-1-4"));

        Assert.Equal(["B-1-5", "B-1-6"], SeatIds(Placed(Decide(ledger, Best("fan-3", "R", 2)))));
        Assert.Equal(["B-2-1", "B-2-2", "B-2-3"], SeatIds(Placed(Decide(ledger, Best("fan-4", "R", 3)))));
    }

    [Fact]
    public void Without_adjacent_seats_anywhere_the_best_single_seats_are_held_and_nothing_when_too_few()
    {
        var ledger = Ledger(limit: 8);
        Decide(ledger, Seats("fan-1", "A-1-2", "A-1-4", "A-2-1", "A-2-3"));

        Assert.Equal(["A-1-1", "A-1-3"], SeatIds(Placed(Decide(ledger, Best("fan-2", "VIP", 2)))));
        var notEnough = Assert.IsType<HoldOutcome.NotEnoughSeats>(Decide(ledger, Best("fan-3", "VIP", 3)));
        Assert.Equal(("VIP", 3), (notEnough.Tier, notEnough.Quantity));
    }

    [Fact]
    public void A_fan_cannot_pass_the_limit_even_with_holds_decided_in_the_same_batch()
    {
        var ledger = Ledger(limit: 4);

        var outcomes = Enumerable.Range(0, 40).Select(_ => Decide(ledger, Best("fan-greedy", "R", 1))).ToList();

        Assert.Equal(4, outcomes.Count(outcome => outcome is HoldOutcome.Placed));
        var over = outcomes.OfType<HoldOutcome.OverLimit>().First();
        Assert.Equal((4, 4, 1), (over.Limit, over.AlreadyHeld, over.Requested));
        Assert.Equal(4, ledger.SeatsOf("fan-greedy"));
    }

    [Fact]
    public void Seats_given_back_stop_counting_against_the_limit()
    {
        var ledger = Ledger(limit: 2);
        var hold = Placed(Decide(ledger, Seats("fan-1", "A-1-1", "A-1-2")));

        Assert.Equal(ReleaseOutcome.Released, Decide(ledger, new ReleaseHold(hold.HoldId, "fan-1", ReleaseReasons.Released)));

        Assert.Equal(0, ledger.SeatsOf("fan-1"));
        Assert.IsType<HoldOutcome.Placed>(Decide(ledger, Seats("fan-1", "A-1-1", "A-1-2")));
    }

    [Fact]
    public void Nothing_is_held_before_the_sale_opens_after_it_stops_or_for_a_request_that_went_away()
    {
        var notOpen = Ledger(saleOpensAt: Now.AddMinutes(5));
        Assert.Equal(Now.AddMinutes(5), Assert.IsType<HoldOutcome.NotOpenYet>(Decide(notOpen, Best("fan-1", "R", 1))).OpensAt);

        var stopped = Ledger();
        Decide(stopped, new StopSales("concert_cancelled"));
        Assert.IsType<HoldOutcome.SalesStopped>(Decide(stopped, Best("fan-1", "R", 1)));

        using var gone = new CancellationTokenSource();
        gone.Cancel();
        var ledger = Ledger();
        Assert.IsType<HoldOutcome.Withdrawn>(Decide(ledger, Best("fan-1", "R", 1) with { Requester = gone.Token }));
        Assert.Equal(0, ledger.SeatsOf("fan-1"));
    }

    [Fact]
    public void Only_the_fans_own_hold_can_be_released_and_not_once_in_checkout()
    {
        var ledger = Ledger();
        var hold = Placed(Decide(ledger, Seats("fan-1", "A-1-1")));

        Assert.Equal(ReleaseOutcome.NotFound, Decide(ledger, new ReleaseHold(hold.HoldId, "fan-2", ReleaseReasons.Released)));
        Decide(ledger, new CheckOutHold(new ConfirmHold(Guid.NewGuid(), hold.HoldId, "fan-1")));
        Assert.Equal(ReleaseOutcome.InCheckout, Decide(ledger, new ReleaseHold(hold.HoldId, "fan-1", ReleaseReasons.Released)));
    }

    [Fact]
    public void Holds_past_their_time_expire_unless_an_order_checked_them_out()
    {
        var ledger = Ledger();
        var early = Placed(Decide(ledger, Seats("fan-1", "A-1-1")));
        var paying = Placed(Decide(ledger, Seats("fan-2", "A-1-2")));
        var late = Placed(Decide(ledger, Seats("fan-3", "A-1-3"), Now.AddMinutes(5)));
        Decide(ledger, new CheckOutHold(new ConfirmHold(Guid.NewGuid(), paying.HoldId, "fan-2")));

        var decision = SeatLedgerRules.Decide(ledger, new ExpireHolds(), Now + HoldFor);

        var expired = Assert.Single(decision.Changes.Cast<ReleasedHold>());
        Assert.Equal((early.HoldId, ReleaseReasons.Expired), (expired.HoldId, expired.Reason));
        Assert.DoesNotContain(decision.Changes.Cast<ReleasedHold>(), released => released.HoldId == late.HoldId);
    }

    [Fact]
    public void Checkout_refuses_another_fan_an_expired_hold_and_a_second_order_and_repeats_its_answer()
    {
        var ledger = Ledger();
        var hold = Placed(Decide(ledger, Seats("fan-1", "A-1-1", "A-1-2")));
        var order = Guid.NewGuid();

        Assert.Equal(HoldRejectionReasons.NotYours, Assert.IsType<HoldRejected>(Decide(ledger, new CheckOutHold(new ConfirmHold(order, hold.HoldId, "fan-2")))).Reason);
        var confirmed = Assert.IsType<HoldConfirmed>(Decide(ledger, new CheckOutHold(new ConfirmHold(order, hold.HoldId, "fan-1"))));
        Assert.Equal(396000m, confirmed.Seats.Sum(seat => seat.Price));
        Assert.IsType<HoldConfirmed>(Decide(ledger, new CheckOutHold(new ConfirmHold(order, hold.HoldId, "fan-1"))));
        Assert.Equal(HoldRejectionReasons.AlreadyCheckedOut,
            Assert.IsType<HoldRejected>(Decide(ledger, new CheckOutHold(new ConfirmHold(Guid.NewGuid(), hold.HoldId, "fan-1")))).Reason);

        var stale = Placed(Decide(ledger, Seats("fan-3", "B-1-1")));
        var tooLate = Assert.IsType<HoldRejected>(Decide(ledger, new CheckOutHold(new ConfirmHold(Guid.NewGuid(), stale.HoldId, "fan-3")), Now + HoldFor));
        Assert.Equal(HoldRejectionReasons.Expired, tooLate.Reason);
        Assert.Equal(SeatStatus.Available, ledger.StatusOf(ledger.Layout.IndexOf["B-1-1"]));
    }

    [Fact]
    public void A_paid_hold_is_sold_once_with_one_ticket_per_seat_and_a_refund_voids_them_and_frees_the_seats()
    {
        var ledger = Ledger();
        var hold = Placed(Decide(ledger, Seats("fan-1", "A-1-1", "A-1-2")));
        var order = Guid.NewGuid();
        Decide(ledger, new CheckOutHold(new ConfirmHold(order, hold.HoldId, "fan-1")));

        Assert.IsType<SaleOutcome.NotSellable>(Decide(ledger, new SellCheckedOutHold(hold.HoldId, Guid.NewGuid())));
        var sale = Assert.IsType<SaleOutcome.Sold>(Decide(ledger, new SellCheckedOutHold(hold.HoldId, order))).Sale;
        Assert.IsType<SaleOutcome.AlreadySold>(Decide(ledger, new SellCheckedOutHold(hold.HoldId, order)));

        Assert.Equal(2, sale.Tickets.Select(ticket => ticket.TicketId).Distinct().Count());
        Assert.Equal(SeatStatus.Sold, ledger.StatusOf(ledger.Layout.IndexOf["A-1-2"]));
        Assert.Equal(2, ledger.SeatsOf("fan-1"));

        Decide(ledger, new CancelHoldOrder(hold.HoldId, order, "fan-1", "refunded", WasSold: true));
        Assert.Equal(SeatStatus.Available, ledger.StatusOf(ledger.Layout.IndexOf["A-1-2"]));
        Assert.All(sale.Tickets, ticket => Assert.Equal(TicketStatus.Voided, ledger.Ticket(ticket.TicketId)!.Status));
        Assert.Equal(0, ledger.SeatsOf("fan-1"));
    }

    [Fact]
    public void A_refund_that_overtakes_its_sale_issues_and_voids_the_tickets_and_the_late_sale_changes_nothing()
    {
        var ledger = Ledger();
        var hold = Placed(Decide(ledger, Seats("fan-1", "A-1-1", "A-1-2")));
        var order = Guid.NewGuid();
        Decide(ledger, new CheckOutHold(new ConfirmHold(order, hold.HoldId, "fan-1")));

        var refund = SeatLedgerRules.Decide(ledger, new CancelHoldOrder(hold.HoldId, order, "fan-1", "refunded", WasSold: true), Now);
        foreach (var change in refund.Changes)
        {
            ledger.Apply(change);
        }

        Assert.Collection(refund.Changes,
            change => Assert.Equal(order, Assert.IsType<SoldHold>(change).OrderId),
            change => Assert.Equal(
                ((SoldHold)refund.Changes[0]).Tickets.Select(ticket => ticket.TicketId),
                Assert.IsType<RefundedHold>(change).TicketIds));
        Assert.Equal(SeatStatus.Available, ledger.StatusOf(ledger.Layout.IndexOf["A-1-1"]));
        Assert.Equal(0, ledger.SeatsOf("fan-1"));

        var lateSale = SeatLedgerRules.Decide(ledger, new SellCheckedOutHold(hold.HoldId, order), Now);
        Assert.IsType<SaleOutcome.AlreadySold>(lateSale.Outcome);
        Assert.Empty(lateSale.Changes);
        Assert.IsType<SaleOutcome.NotSellable>(Decide(ledger, new SellCheckedOutHold(hold.HoldId, Guid.NewGuid())));
    }

    [Fact]
    public void Another_order_cannot_give_back_a_hold_it_did_not_check_out()
    {
        var ledger = Ledger();
        var hold = Placed(Decide(ledger, Seats("fan-1", "A-1-1")));
        Decide(ledger, new CheckOutHold(new ConfirmHold(Guid.NewGuid(), hold.HoldId, "fan-1")));

        var decision = SeatLedgerRules.Decide(ledger, new CancelHoldOrder(hold.HoldId, Guid.NewGuid(), "fan-1", "payment_declined", WasSold: false), Now);

        Assert.Empty(decision.Changes);
    }

    [Fact]
    public void A_ticket_is_admitted_once_at_its_own_concert_and_only_as_sold()
    {
        var ledger = Ledger();
        var hold = Placed(Decide(ledger, Seats("fan-1", "B-2-3")));
        var order = Guid.NewGuid();
        Decide(ledger, new CheckOutHold(new ConfirmHold(order, hold.HoldId, "fan-1")));
        var ticket = Assert.IsType<SaleOutcome.Sold>(Decide(ledger, new SellCheckedOutHold(hold.HoldId, order))).Sale.Tickets.Single();
        var claims = new TicketClaims(ticket.TicketId, ledger.ConcertId, "B-2-3", "fan-1");

        Assert.Equal(CheckInRefusals.WrongConcert,
            Assert.IsType<CheckInOutcome.Refused>(Decide(ledger, new CheckInTicket(claims with { ConcertId = Guid.NewGuid() }))).Reason);
        Assert.Equal(CheckInRefusals.CodeMismatch,
            Assert.IsType<CheckInOutcome.Refused>(Decide(ledger, new CheckInTicket(claims with { SeatId = "B-2-4" }))).Reason);
        Assert.Equal(CheckInRefusals.CodeMismatch,
            Assert.IsType<CheckInOutcome.Refused>(Decide(ledger, new CheckInTicket(claims with { FanId = "fan-2" }))).Reason);
        Assert.Equal(CheckInRefusals.UnknownTicket,
            Assert.IsType<CheckInOutcome.Refused>(Decide(ledger, new CheckInTicket(claims with { TicketId = Guid.NewGuid() }))).Reason);
        Assert.IsType<CheckInOutcome.Admitted>(Decide(ledger, new CheckInTicket(claims)));
        Assert.Equal(CheckInRefusals.AlreadyCheckedIn, Assert.IsType<CheckInOutcome.Refused>(Decide(ledger, new CheckInTicket(claims))).Reason);
    }

    [Fact]
    public void A_batch_of_changes_becomes_one_event_per_run_of_a_kind_and_folds_back_to_the_same_state()
    {
        var decided = Ledger();
        var changes = new List<object>();
        foreach (var command in new LedgerCommand[] { Best("fan-1", "R", 2), Best("fan-2", "R", 2), Seats("fan-3", "A-1-1") })
        {
            var decision = SeatLedgerRules.Decide(decided, command, Now);
            decision.Changes.ToList().ForEach(decided.Apply);
            changes.AddRange(decision.Changes);
        }

        changes.AddRange(SeatLedgerRules.Decide(decided, new ExpireHolds(), Now + HoldFor).Changes);
        var events = SeatLedgerBatches.ToEvents(decided.ConcertId, changes);

        Assert.Equal([typeof(HoldsPlaced), typeof(HoldsReleased)], events.Select(e => e.GetType()));
        Assert.Equal(3, ((HoldsPlaced)events[0]).Holds.Count);
        var replayed = Ledger();
        events.ToList().ForEach(replayed.Apply);
        Assert.Equal(3, replayed.Holds.Count(hold => hold.Status == HoldStatus.Expired));
        Assert.Equal(18 + 8, replayed.Statuses.ToArray().Count(status => status == SeatStatus.Available));
    }
}
