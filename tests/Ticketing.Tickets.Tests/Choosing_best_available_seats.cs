using Ticketing.Tickets.Holds;
using Ticketing.Tickets.Seats;
using Xunit;

namespace Ticketing.Tickets.Tests;

/// <summary>The hold desk's in-memory chart: which seats best-available proposes (the database still decides).</summary>
public sealed class Choosing_best_available_seats
{
    private static SeatRow Row(string section, string row, int sectionIndex, int rowIndex, string tier, int seats, params int[] taken)
    {
        var opened = SeatRow.Create(new RowOpened(Guid.NewGuid(), Guid.Empty, section, row, sectionIndex, rowIndex, tier, 100m, "KRW", seats));
        return opened with { Seats = opened.Seats.Select(seat => taken.Contains(seat.Number) ? seat with { Status = SeatStatus.Held } : seat).ToList() };
    }

    [Fact]
    public void Adjacent_seats_in_the_front_row_come_first()
    {
        var chart = SeatChart.From([Row("B", "2", 1, 1, "R", 10), Row("A", "1", 0, 0, "R", 10, 1, 3, 5)]);

        Assert.Equal(["A-1-6", "A-1-7"], chart.ChooseBest("R", 2));
    }

    [Fact]
    public void A_row_without_enough_adjacent_free_seats_is_passed_for_one_that_has_them()
    {
        var chart = SeatChart.From([Row("A", "1", 0, 0, "R", 4, 2, 4), Row("A", "2", 0, 1, "R", 4)]);

        Assert.Equal(["A-2-1", "A-2-2"], chart.ChooseBest("R", 2));
    }

    [Fact]
    public void Without_adjacent_seats_anywhere_the_best_single_seats_are_proposed_and_none_when_too_few()
    {
        var chart = SeatChart.From([Row("A", "1", 0, 0, "R", 3, 2), Row("A", "2", 0, 1, "R", 3, 1, 3)]);

        Assert.Equal(["A-1-1", "A-1-3"], chart.ChooseBest("R", 2));
        Assert.Null(chart.ChooseBest("R", 4));
        Assert.Null(chart.ChooseBest("VIP", 1));
    }

    [Fact]
    public void Seats_taken_and_freed_in_the_chart_change_what_is_proposed()
    {
        var chart = SeatChart.From([Row("A", "1", 0, 0, "R", 2), Row("A", "2", 0, 1, "R", 2)]);

        chart.Take(["A-1-2"]);
        Assert.False(chart.IsFree("A-1-2"));
        Assert.Equal(["A-2-1", "A-2-2"], chart.ChooseBest("R", 2));

        chart.Free(["A-1-2"]);
        Assert.Equal(["A-1-1", "A-1-2"], chart.ChooseBest("R", 2));
    }
}
