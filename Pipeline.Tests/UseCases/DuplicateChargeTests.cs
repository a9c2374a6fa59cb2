using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.UseCases.DuplicateCharge;
using static Pipeline.Tests.UseCases.UseCaseHarness;

namespace Pipeline.Tests.UseCases;

public sealed class DuplicateChargeTests
{
    private readonly UseCaseHarness _harness = new("DuplicateCharge");

    [Fact]
    public void First_transaction_reports_nothing()
    {
        Assert.Null(_harness.Apply(_harness.Transaction(T0)));
    }

    [Fact]
    public void Same_merchant_and_amount_within_the_window_is_reported_with_a_deterministic_id()
    {
        _harness.Apply(_harness.Transaction(T0, "Zara", amountMinor: 5_990));
        var duplicate = _harness.Transaction(T0.AddHours(3).AddMinutes(5), "Zara", amountMinor: 5_990);

        var feedback = _harness.Apply(duplicate);

        Assert.NotNull(feedback);
        Assert.Equal("DuplicateCharge", feedback.UseCase);
        Assert.Equal("A", feedback.Variant);
        Assert.Equal(duplicate.TransactionId, feedback.TransactionId);
        Assert.Equal(duplicate.Timestamp, feedback.Timestamp);
        Assert.Equal(FeedbackIds.For("DuplicateCharge", "A", duplicate.TransactionId), feedback.FeedbackId);
        Assert.Equal("Possible duplicate charge: Zara charged 59.90 EUR twice within 3 h 5 min.", feedback.Message);
    }

    [Fact]
    public void Other_amount_or_other_merchant_is_not_a_duplicate()
    {
        _harness.Apply(_harness.Transaction(T0, "Zara", amountMinor: 5_990));
        Assert.Null(_harness.Apply(_harness.Transaction(T0.AddMinutes(10), "Zara", amountMinor: 5_991)));
        Assert.Null(_harness.Apply(_harness.Transaction(T0.AddMinutes(20), "H&M", amountMinor: 5_990)));
    }

    [Fact]
    public void Exactly_one_window_apart_is_reported_and_one_millisecond_more_is_not()
    {
        _harness.Apply(_harness.Transaction(T0, amountMinor: 1_000));
        Assert.NotNull(_harness.Apply(_harness.Transaction(T0.AddHours(24), amountMinor: 1_000)));

        var other = new UseCaseHarness("DuplicateCharge");
        other.Apply(other.Transaction(T0, amountMinor: 1_000));
        Assert.Null(other.Apply(other.Transaction(T0.AddHours(24).AddMilliseconds(1), amountMinor: 1_000)));
    }

    [Fact]
    public void State_keeps_only_charges_inside_the_window()
    {
        _harness.Apply(_harness.Transaction(T0, "A"));
        _harness.Apply(_harness.Transaction(T0.AddHours(1), "B"));
        _harness.Apply(_harness.Transaction(T0.AddDays(2), "C"));

        var state = (DuplicateChargeState)_harness.Memory.State;
        Assert.Equal(["C"], state.RecentCharges.Select(c => c.Merchant));
    }

    [Fact]
    public void Replaying_an_applied_transaction_changes_nothing_and_repeats_its_feedback()
    {
        var original = _harness.Transaction(T0, amountMinor: 777);
        var duplicate = _harness.Transaction(T0.AddHours(1), amountMinor: 777);
        _harness.Apply(original);
        var first = _harness.Apply(duplicate);
        var memory = _harness.Memory;

        Assert.Equal(first, _harness.Apply(duplicate));
        Assert.Null(_harness.Apply(original));
        Assert.Same(memory, _harness.Memory);
    }

    [Fact]
    public void Window_comes_from_configuration()
    {
        var harness = new UseCaseHarness("DuplicateCharge", "A", "pipeline.use-cases.duplicate-charge.window=1h");
        harness.Apply(harness.Transaction(T0));
        Assert.Null(harness.Apply(harness.Transaction(T0.AddHours(2))));
    }
}
