using Pipeline.UseCases.RecurringChargeIncrease;
using static Pipeline.Tests.UseCases.UseCaseHarness;

namespace Pipeline.Tests.UseCases;

public sealed class RecurringChargeIncreaseTests
{
    private readonly UseCaseHarness _harness = new("RecurringChargeIncrease");

    private Pipeline.Core.UseCases.CardTransaction Charge(double day, long amountMinor, string merchant = "Netflix") =>
        _harness.Transaction(T0.AddDays(day), merchant, "subscription", amountMinor);

    [Fact]
    public void First_charge_reports_nothing()
    {
        Assert.Null(_harness.Apply(Charge(0, 1_299)));
    }

    [Fact]
    public void Rise_after_two_equal_monthly_charges_is_reported()
    {
        _harness.Apply(Charge(0, 1_299));
        _harness.Apply(Charge(30.5, 1_299));
        var feedback = _harness.Apply(Charge(59.8, 1_499));

        Assert.NotNull(feedback);
        Assert.Equal("Your recurring charge from Netflix went up by 2.00 EUR (15.4 %): 14.99 EUR instead of 12.99 EUR.", feedback.Message);
    }

    [Fact]
    public void One_previous_charge_is_not_yet_recurring()
    {
        _harness.Apply(Charge(0, 1_299));
        Assert.Null(_harness.Apply(Charge(30, 1_499)));
    }

    [Fact]
    public void Increase_of_exactly_the_minimum_percent_is_not_reported()
    {
        _harness.Apply(Charge(0, 1_000));
        _harness.Apply(Charge(30, 1_000));
        Assert.Null(_harness.Apply(Charge(60, 1_050)));
    }

    [Fact]
    public void Charges_off_the_monthly_cadence_are_not_recurring()
    {
        _harness.Apply(Charge(0, 1_000));
        _harness.Apply(Charge(30, 1_000));
        Assert.Null(_harness.Apply(Charge(45, 2_000)));
        // The off-cadence charge started a new run, so the old price history no longer applies either.
        Assert.Null(_harness.Apply(Charge(75, 2_500)));
    }

    [Fact]
    public void Varying_amounts_are_not_a_recurring_charge()
    {
        _harness.Apply(Charge(0, 4_210, "Lidl"));
        _harness.Apply(Charge(30, 3_990, "Lidl"));
        Assert.Null(_harness.Apply(Charge(60, 5_120, "Lidl")));
    }

    [Fact]
    public void Merchants_unseen_for_longer_than_the_history_are_evicted()
    {
        _harness.Apply(Charge(0, 1_000, "Spotify"));
        _harness.Apply(Charge(1, 500, "Lidl"));
        _harness.Apply(Charge(72, 700, "Aldi"));

        var state = (RecurringChargeIncreaseState)_harness.Memory.State;
        Assert.Equal(["Aldi"], state.SeriesByMerchant.Keys);
    }

    [Fact]
    public void Charges_older_than_the_history_no_longer_count_towards_a_series()
    {
        _harness.Apply(Charge(0, 1_299));
        _harness.Apply(Charge(34, 1_299));
        _harness.Apply(Charge(68, 1_299));
        // At day 102 the first charge lies beyond the 70-day history: it is dropped, so the state holds what a rebuild would read.
        _harness.Apply(Charge(102, 1_299));

        var series = ((RecurringChargeIncreaseState)_harness.Memory.State).SeriesByMerchant["Netflix"];
        Assert.Equal([T0.AddDays(34), T0.AddDays(68), T0.AddDays(102)], series.ChargedAt);
    }

    [Fact]
    public void Replaying_an_applied_transaction_changes_nothing_and_repeats_its_feedback()
    {
        _harness.Apply(Charge(0, 1_299));
        _harness.Apply(Charge(30, 1_299));
        var rise = Charge(60, 1_499);
        var first = _harness.Apply(rise);
        var memory = _harness.Memory;

        Assert.NotNull(first);
        Assert.Equal(first, _harness.Apply(rise));
        Assert.Same(memory, _harness.Memory);
    }
}
