using Pipeline.UseCases.UnusualTip;
using static Pipeline.Tests.UseCases.UseCaseHarness;

namespace Pipeline.Tests.UseCases;

public sealed class UnusualTipTests
{
    private readonly UseCaseHarness _harness = new("UnusualTip");

    // A 100.00 EUR bill, so the tip in cents divided by 100 is the tip percentage.
    private Pipeline.Core.UseCases.CardTransaction Visit(DateTimeOffset at, long tipMinor, string? id = null) =>
        _harness.Transaction(at, "Trattoria Roma", "restaurant", 10_000, tipMinor, id);

    private void Habit(int visits, long tipMinor = 1_000, DateTimeOffset? from = null)
    {
        for (var i = 0; i < visits; i++)
            Assert.Null(_harness.Apply(Visit((from ?? T0).AddDays(i), tipMinor)));
    }

    [Fact]
    public void First_visit_even_with_a_huge_tip_reports_nothing()
    {
        Assert.Null(_harness.Apply(Visit(T0, 5_000)));
    }

    [Fact]
    public void Needs_the_minimum_history_before_judging()
    {
        Habit(4);
        Assert.Null(_harness.Apply(Visit(T0.AddDays(10), 4_000)));
    }

    [Fact]
    public void Tip_well_above_the_median_is_reported()
    {
        Habit(5);
        var feedback = _harness.Apply(Visit(T0.AddDays(10), 3_500));
        Assert.NotNull(feedback);
        Assert.Equal("Unusually high tip at Trattoria Roma: 35.00 EUR (35 % of the bill, 3.5 times the 10 % you usually tip).", feedback.Message);
    }

    [Fact]
    public void Exactly_factor_times_the_median_is_not_reported_just_above_is()
    {
        Habit(5, tipMinor: 1_200);
        Assert.Null(_harness.Apply(Visit(T0.AddDays(10), 2_400)));
        Assert.NotNull(_harness.Apply(Visit(T0.AddDays(11), 2_401)));
    }

    [Fact]
    public void Tips_below_the_minimum_percent_are_never_reported()
    {
        Habit(5, tipMinor: 0);
        Assert.Null(_harness.Apply(Visit(T0.AddDays(10), 1_900)));
        Assert.NotNull(_harness.Apply(Visit(T0.AddDays(11), 2_000)));
    }

    [Fact]
    public void Other_categories_are_ignored()
    {
        Habit(5);
        Assert.Null(_harness.Apply(_harness.Transaction(T0.AddDays(10), "Lidl", "grocery", 10_000, 5_000)));
    }

    [Fact]
    public void Visits_older_than_60_days_are_evicted_and_do_not_count()
    {
        Habit(5, from: T0);
        // 61 days after the last habit visit the history is empty again: a high tip is judged on nothing.
        Assert.Null(_harness.Apply(Visit(T0.AddDays(4 + 61), 4_000)));
        Assert.Single(((UnusualTipState)_harness.Memory.State).Tips);
    }

    [Fact]
    public void Replaying_an_applied_transaction_changes_nothing_and_repeats_its_feedback()
    {
        Habit(5);
        var high = Visit(T0.AddDays(10), 4_000);
        var first = _harness.Apply(high);
        var memory = _harness.Memory;

        Assert.NotNull(first);
        Assert.Equal(first, _harness.Apply(high));
        Assert.Same(memory, _harness.Memory);
    }
}
