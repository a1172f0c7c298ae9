using Ticketing.Contracts.Queue;
using Ticketing.Queue.Admission;
using Ticketing.Queue.Drops;
using Ticketing.Queue.Fairness;
using Ticketing.Queue.Operations;

namespace Ticketing.Queue.Tests;

/// <summary>
/// The waiting room's rules on the fold of a drop's events, with time passed in: no database, no clock. A simulated
/// admission runner looks at the drop every 100 ms (± jitter) and appends what <see cref="DropState.NextStep"/> says.
/// </summary>
public sealed class Admission_rules
{
    private static readonly DateTimeOffset Opening = new(2026, 12, 24, 11, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Fans_are_let_in_at_the_configured_rate_minute_after_minute()
    {
        var drop = new SimulatedDrop(admissionsPerMinute: 600);
        drop.Join(5_000, Opening.AddMinutes(-10));

        var perMinute = Enumerable.Range(0, 5).Select(_ => drop.RunFor(TimeSpan.FromMinutes(1))).ToList();

        Assert.All(perMinute, admitted => Assert.InRange(admitted, 570, 630));
        Assert.InRange(perMinute.Sum(), 2_999, 3_001);
    }

    [Fact]
    public void A_paused_drop_admits_nobody_and_resumes_at_the_rate_without_a_burst()
    {
        var drop = new SimulatedDrop(admissionsPerMinute: 1_200);
        drop.Join(10_000, Opening.AddMinutes(-10));
        drop.RunFor(TimeSpan.FromMinutes(1));

        drop.Append(new AdmissionPaused(drop.Id, "ops", drop.Now));
        var whilePaused = drop.RunFor(TimeSpan.FromMinutes(2));
        drop.Append(new AdmissionResumed(drop.Id, "ops", drop.Now));
        var firstSecond = drop.RunFor(TimeSpan.FromSeconds(1));
        var afterResume = firstSecond + drop.RunFor(TimeSpan.FromSeconds(59));

        Assert.Equal(0, whilePaused);
        Assert.InRange(firstSecond, 0, 21);
        Assert.InRange(afterResume, 1_140, 1_260);
    }

    [Fact]
    public void A_rate_change_takes_effect_at_once()
    {
        var drop = new SimulatedDrop(admissionsPerMinute: 300);
        drop.Join(10_000, Opening.AddMinutes(-10));
        var before = drop.RunFor(TimeSpan.FromMinutes(1));

        drop.Append(new AdmissionRateChanged(drop.Id, 3_000, null, "ops", drop.Now));
        var after = drop.RunFor(TimeSpan.FromMinutes(1));

        Assert.InRange(before, 285, 315);
        Assert.InRange(after, 2_850, 3_150);
    }

    [Fact]
    public void Never_more_than_max_active_admitted_fans_have_not_finished()
    {
        var drop = new SimulatedDrop(admissionsPerMinute: 60_000, maxActive: 25, passMinutes: 2);
        drop.Join(1_000, Opening.AddMinutes(-10));

        drop.RunFor(TimeSpan.FromSeconds(30));
        Assert.Equal(25, drop.Counters.Active);
        Assert.Equal(25, drop.Counters.Admitted);

        // Ten finish their order: ten more come in; then the passes of the first group run out: another group.
        drop.Append(new EntriesFinished(drop.Id, drop.AdmittedFans.Take(10).Select(fan => new FinishedEntry(fan, Guid.NewGuid(), FinishOutcomes.OrderConfirmed)).ToList(), drop.Now));
        drop.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(35, drop.Counters.Admitted);
        Assert.Equal(10, drop.Counters.PassesUsed);

        drop.RunFor(TimeSpan.FromMinutes(2));
        var counters = drop.Counters;
        Assert.Equal(25, counters.Active);
        Assert.True(counters.PassesExpired >= 15, $"{counters.PassesExpired} passes expired");
        Assert.Equal(counters.Admitted, counters.Active + counters.PassesUsed + counters.PassesExpired);
    }

    [Fact]
    public void The_draw_orders_pre_opening_fans_by_their_keys_and_later_fans_queue_in_arrival_order()
    {
        var drop = new SimulatedDrop(admissionsPerMinute: 60);
        var early = drop.Join(500, Opening.AddMinutes(-5));
        drop.RunFor(TimeSpan.FromSeconds(1)); // the opening: the draw
        var late = drop.Join(50, Opening.AddSeconds(1));

        var order = drop.State.QueueOrder(Rooms.General);
        var draw = drop.State.Draws().Single();

        Assert.Equal(Draw.Order(draw.Seed!, early), order.Take(500).ToList());
        Assert.Equal(late, order.Skip(500).ToList());
        Assert.Equal(early, draw.PreOpeningEntryIds);
        Assert.Equal(Draw.Commitment(draw.Seed!), draw.Commitment);
        Assert.NotEqual(early, order.Take(500).ToList());
    }

    [Fact]
    public void Fans_who_join_after_the_opening_but_before_the_draw_ran_queue_behind_the_drawn_fans_in_arrival_order()
    {
        var drop = new SimulatedDrop(admissionsPerMinute: 60);
        var early = drop.Join(300, Opening.AddMinutes(-5));

        // The admission runner is late at the opening (a restart): these fans join after the opening, before the draw.
        var late = drop.Join(40, Opening.AddMilliseconds(200));
        var later = drop.Join(10, Opening.AddMilliseconds(400));
        drop.RunFor(TimeSpan.FromSeconds(1));

        var order = drop.State.QueueOrder(Rooms.General);
        var draw = drop.State.Draws().Single();
        Assert.Equal(early, draw.PreOpeningEntryIds);
        Assert.Equal(Draw.Order(draw.Seed!, early), order.Take(300).ToList());
        Assert.Equal([.. late, .. later], order.Skip(300).ToList());
    }

    [Fact]
    public void The_seed_stays_secret_until_the_draw()
    {
        var drop = new SimulatedDrop(admissionsPerMinute: 60);
        drop.Join(3, Opening.AddMinutes(-5));

        var before = drop.State.Draws().Single();

        Assert.Null(before.Seed);
        Assert.Null(before.PreOpeningEntryIds);
        Assert.Matches("^[0-9a-f]{64}$", before.Commitment);
    }

    [Fact]
    public void A_second_join_of_a_fan_is_not_a_second_place()
    {
        var drop = new SimulatedDrop(admissionsPerMinute: 60);
        drop.Append(new EntriesJoined(drop.Id, [new JoinedEntry(Guid.NewGuid(), "fan-1", Rooms.General, null)], Opening.AddMinutes(-2)));
        drop.Append(new EntriesJoined(drop.Id, [new JoinedEntry(Guid.NewGuid(), "fan-1", Rooms.General, null)], Opening.AddMinutes(-1)));

        Assert.Equal(1, drop.Counters.Joined);
    }

    [Fact]
    public void A_membership_code_works_once_for_one_fan()
    {
        var drop = new SimulatedDrop(admissionsPerMinute: 60);
        drop.Append(new PresaleScheduled(drop.Id, Opening.AddHours(2), Draw.NewSeed(), "c", "ops", Opening.AddHours(-2)));
        var code = MembershipCodes.Hash("NOVA-1234");
        drop.Append(new MembersImported(drop.Id, ["member-1"], [code], "ops", Opening.AddHours(-2)));

        drop.Append(new EntriesJoined(drop.Id,
        [
            new JoinedEntry(Guid.NewGuid(), "fan-with-code", Rooms.Presale, code),
            new JoinedEntry(Guid.NewGuid(), "fan-copying-code", Rooms.Presale, code),
            new JoinedEntry(Guid.NewGuid(), "member-1", Rooms.Presale, null),
            new JoinedEntry(Guid.NewGuid(), "stranger", Rooms.Presale, null),
        ], Opening.AddMinutes(-30)));

        Assert.NotNull(drop.State.EntryIn(Rooms.Presale, "fan-with-code"));
        Assert.NotNull(drop.State.EntryIn(Rooms.Presale, "member-1"));
        Assert.Null(drop.State.EntryIn(Rooms.Presale, "fan-copying-code"));
        Assert.Null(drop.State.EntryIn(Rooms.Presale, "stranger"));
        Assert.IsType<JoinTarget.MembersOnly>(drop.State.JoinTargetOf("fan-copying-code", code, Opening.AddMinutes(-20)));
        Assert.IsType<JoinTarget.Existing>(drop.State.JoinTargetOf("fan-with-code", code, Opening.AddMinutes(-20)));
    }

    [Fact]
    public void The_presale_admits_members_first_and_the_general_room_opens_when_it_ends()
    {
        var drop = new SimulatedDrop(admissionsPerMinute: 6_000);
        var presaleEnds = Opening.AddMinutes(30);
        drop.Append(new PresaleScheduled(drop.Id, presaleEnds, Draw.NewSeed(), "c", "ops", Opening.AddHours(-1)));
        drop.Append(new MembersImported(drop.Id, ["member-1", "member-2"], [], "ops", Opening.AddHours(-1)));

        Assert.IsType<JoinTarget.MembersOnly>(drop.State.JoinTargetOf("stranger", null, Opening.AddMinutes(-5)));
        Assert.Equal(new JoinTarget.NewEntry(Rooms.Presale, null), drop.State.JoinTargetOf("member-1", null, Opening.AddMinutes(-5)));

        drop.Append(new EntriesJoined(drop.Id, [new JoinedEntry(Guid.NewGuid(), "member-1", Rooms.Presale, null)], Opening.AddMinutes(-5)));
        drop.RunFor(TimeSpan.FromMinutes(1));
        Assert.Equal(EntryStatuses.Admitted, drop.View("member-1").Status);

        // General joining opens as long before the general sale as the room opened before the first one.
        Assert.Equal(new JoinTarget.NewEntry(Rooms.General, null), drop.State.JoinTargetOf("stranger", null, presaleEnds.AddMinutes(-5)));
        Assert.Equal(new JoinTarget.NewEntry(Rooms.General, null), drop.State.JoinTargetOf("member-1", null, presaleEnds.AddMinutes(1)));
    }

    [Fact]
    public void Sold_out_tells_waiting_fans_and_stops_admission_until_seats_come_back()
    {
        var drop = new SimulatedDrop(admissionsPerMinute: 60);
        drop.Join(100, Opening.AddMinutes(-1));
        drop.RunFor(TimeSpan.FromSeconds(10));

        drop.Append(new DropSoldOut(drop.Id, drop.Now));
        var whileSoldOut = drop.RunFor(TimeSpan.FromMinutes(1));
        var waiting = drop.State.QueueOrder(Rooms.General).Skip(20).First();

        Assert.Equal(0, whileSoldOut);
        Assert.Equal(EntryStatuses.SoldOut, drop.ViewOf(waiting).Status);
        drop.Append(new DropSoldOut(drop.Id, drop.Now.AddMinutes(-5))); // old news changes nothing
        drop.Append(new DropBackOnSale(drop.Id, drop.Now));
        Assert.Equal(EntryStatuses.Waiting, drop.ViewOf(waiting).Status);
        Assert.InRange(drop.RunFor(TimeSpan.FromMinutes(1)), 57, 63);
    }

    [Fact]
    public void The_estimated_wait_follows_the_measured_rate()
    {
        var drop = new SimulatedDrop(admissionsPerMinute: 600);
        drop.Join(2_000, Opening.AddMinutes(-1));
        drop.RunFor(TimeSpan.FromMinutes(1));
        var waiting = drop.State.QueueOrder(Rooms.General)[1_000];

        var view = drop.ViewOf(waiting);

        // 400 ahead at 10 a second: about 40 s.
        Assert.InRange(view.Position!.Value, 395, 405);
        Assert.InRange(view.EstimatedWaitSeconds!.Value, 38, 42);
        Assert.Equal(view.Position - 1, view.AheadOfYou);
    }

    [Fact]
    public void The_bucket_holds_a_second_of_admissions_so_a_late_runner_does_not_burst()
    {
        Assert.Equal(10, AdmissionDecisions.TokensAt(0, Opening, Opening.AddMinutes(5), 600));
        Assert.Equal(1, AdmissionDecisions.TokensAt(0, Opening, Opening.AddMinutes(5), 6));
        Assert.Equal(3, AdmissionDecisions.HowMany(3.99, waiting: 10, active: 0, maxActive: null));
        Assert.Equal(2, AdmissionDecisions.HowMany(3.99, waiting: 10, active: 8, maxActive: 10));
        Assert.Equal(0, AdmissionDecisions.HowMany(3.99, waiting: 10, active: 12, maxActive: 10));
    }

    /// <summary>A drop's state driven by events and a simulated admission runner, on simulated time.</summary>
    private sealed class SimulatedDrop
    {
        private readonly Random jitter = new(42);
        private long version;

        public SimulatedDrop(int admissionsPerMinute, int? maxActive = null, int passMinutes = 10)
        {
            Now = Opening.AddMinutes(-30);
            var seed = Draw.NewSeed();
            State = DropState.Start(new DropEvent(++version, new DropAnnounced(
                Id, DropKind.Concert, "First Light", "NOVA", Opening.AddMinutes(-30), Opening, admissionsPerMinute, maxActive, passMinutes,
                seed, Draw.Commitment(seed), Now)))!;
        }

        public Guid Id { get; } = Guid.NewGuid();
        public DropState State { get; }
        public DateTimeOffset Now { get; private set; }
        public DropCounters Counters => State.Counters(Now);
        public List<string> AdmittedFans { get; } = [];

        public void Append(object data) => Assert.True(State.Apply([new DropEvent(++version, data)]));

        public List<Guid> Join(int count, DateTimeOffset at)
        {
            var entries = Enumerable.Range(0, count).Select(_ => new JoinedEntry(Guid.NewGuid(), $"fan-{Guid.NewGuid():N}", Rooms.General, null)).ToList();
            Append(new EntriesJoined(Id, entries, at));
            if (at > Now)
            {
                Now = at;
            }

            return entries.Select(entry => entry.EntryId).ToList();
        }

        public EntryView View(string fanId) => State.View(State.EntryOf(fanId)!, Now);

        public EntryView ViewOf(Guid entryId) => State.View(State.FindEntry(entryId)!, Now);

        /// <summary>Runs the admission runner every 100 ms (± 40 ms) for <paramref name="duration"/>; returns how many it let in.</summary>
        public int RunFor(TimeSpan duration)
        {
            var end = (Now < Opening ? Opening : Now) + duration;
            if (Now < Opening)
            {
                Now = Opening;
            }

            var admitted = 0;
            while (Now < end)
            {
                while (State.NextStep(Now) is { } step)
                {
                    switch (step)
                    {
                        case AdmissionStep.DrawRoom draw:
                            Append(new RoomDrawn(Id, draw.Room, draw.PreOpeningEntries, Now));
                            break;
                        case AdmissionStep.Admit admit:
                            Append(new FansAdmitted(Id, admit.Room, admit.EntryIds, admit.PassExpiresAt, admit.TokensLeft, Now));
                            admitted += admit.EntryIds.Count;
                            AdmittedFans.AddRange(admit.EntryIds.Select(id => State.FindEntry(id)!.FanId));
                            break;
                    }
                }

                Now += TimeSpan.FromMilliseconds(100 + jitter.Next(-40, 41));
            }

            Now = end;
            return admitted;
        }
    }
}
