using Pipeline.Core.UseCases;
using Pipeline.UseCases.LargePurchase;
using static Pipeline.Tests.UseCases.UseCaseHarness;

namespace Pipeline.Tests.UseCases;

public sealed class LargePurchaseTests
{
    [Fact]
    public void Variant_a_uses_the_default_threshold_exclusively()
    {
        var harness = new UseCaseHarness("LargePurchase", "A");
        Assert.Null(harness.Apply(harness.Transaction(T0, amountMinor: 100_000)));
        var feedback = harness.Apply(harness.Transaction(T0, "MediaMarkt", "electronics", 100_001));

        Assert.NotNull(feedback);
        Assert.Equal("A", feedback.Variant);
        Assert.Equal("Large purchase: 1,000.01 EUR at MediaMarkt (your limit for notifications is 1,000.00 EUR).", feedback.Message);
    }

    [Fact]
    public void Variant_a_prefers_the_customers_own_threshold()
    {
        var harness = new UseCaseHarness("LargePurchase", "A") { Customer = new CustomerSettings("c-000001", 20_000) };
        Assert.NotNull(harness.Apply(harness.Transaction(T0, amountMinor: 25_000)));
    }

    [Fact]
    public void Variant_b_needs_the_minimum_history()
    {
        var harness = new UseCaseHarness("LargePurchase", "B", "pipeline.use-cases.large-purchase.variant-b.min-history=5");
        for (var i = 0; i < 4; i++)
            harness.Apply(harness.Transaction(T0.AddHours(i), amountMinor: 5_000));
        Assert.Null(harness.Apply(harness.Transaction(T0.AddDays(1), amountMinor: 500_000)));
    }

    [Fact]
    public void Variant_b_reports_above_mean_plus_k_deviations_and_not_at_it()
    {
        var harness = new UseCaseHarness("LargePurchase", "B",
            "pipeline.use-cases.large-purchase.variant-b.min-history=4", "pipeline.use-cases.large-purchase.variant-b.sigmas=2");
        // Baseline 10, 20, 30, 40 EUR: mean 25, population deviation 11.18, threshold 47.36 EUR.
        foreach (var amount in new long[] { 1_000, 2_000, 3_000, 4_000 })
            harness.Apply(harness.Transaction(T0, amountMinor: amount));

        Assert.Null(harness.Apply(harness.Transaction(T0.AddHours(1), amountMinor: 4_736)));

        var high = new UseCaseHarness("LargePurchase", "B",
            "pipeline.use-cases.large-purchase.variant-b.min-history=4", "pipeline.use-cases.large-purchase.variant-b.sigmas=2");
        foreach (var amount in new long[] { 1_000, 2_000, 3_000, 4_000 })
            high.Apply(high.Transaction(T0, amountMinor: amount));
        var feedback = high.Apply(high.Transaction(T0.AddHours(1), amountMinor: 4_737));
        Assert.NotNull(feedback);
        Assert.Equal("B", feedback.Variant);
    }

    [Fact]
    public void Variant_b_does_not_let_one_large_purchase_hide_the_next()
    {
        var harness = new UseCaseHarness("LargePurchase", "B", "pipeline.use-cases.large-purchase.variant-b.min-history=4");
        foreach (var amount in new long[] { 1_000, 2_000, 3_000, 4_000 })
            harness.Apply(harness.Transaction(T0, amountMinor: amount));

        Assert.NotNull(harness.Apply(harness.Transaction(T0.AddHours(1), amountMinor: 300_000)));
        Assert.NotNull(harness.Apply(harness.Transaction(T0.AddHours(2), amountMinor: 300_000)));
        // Both stay in the state (a rebuild from history sees them too), but far above the median they are left out of the baseline.
        Assert.Equal(6, ((AdaptiveThresholdState)harness.Memory.State).Purchases.Count);
    }

    [Fact]
    public void Variant_b_ignores_purchases_older_than_60_days()
    {
        var harness = new UseCaseHarness("LargePurchase", "B", "pipeline.use-cases.large-purchase.variant-b.min-history=4");
        foreach (var amount in new long[] { 1_000, 2_000, 3_000, 4_000 })
            harness.Apply(harness.Transaction(T0, amountMinor: amount));

        // 61 days later the baseline is gone: too little history to judge.
        Assert.Null(harness.Apply(harness.Transaction(T0.AddDays(61), amountMinor: 300_000)));
        Assert.Single(((AdaptiveThresholdState)harness.Memory.State).Purchases);
    }

    [Fact]
    public void Both_variants_replay_idempotently()
    {
        foreach (var variant in new[] { "A", "B" })
        {
            var harness = new UseCaseHarness("LargePurchase", variant, "pipeline.use-cases.large-purchase.variant-b.min-history=4");
            foreach (var amount in new long[] { 1_000, 2_000, 3_000, 4_000 })
                harness.Apply(harness.Transaction(T0, amountMinor: amount));
            var large = harness.Transaction(T0.AddHours(1), amountMinor: 300_000);
            var first = harness.Apply(large);
            var memory = harness.Memory;

            Assert.NotNull(first);
            Assert.Equal(first, harness.Apply(large));
            Assert.Same(memory, harness.Memory);
        }
    }
}
