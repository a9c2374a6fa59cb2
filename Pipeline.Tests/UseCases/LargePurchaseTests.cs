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
        Assert.Equal("Large purchase: 1,000.01 EUR at MediaMarkt, 0.01 EUR over your limit for notifications of 1,000.00 EUR.", feedback.Message);
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

    [Theory]
    // Baseline 10, 20, 30, 40 EUR with k = 2: mean 25.00, deviation 11.18, nothing up to 47.36 EUR is reported.
    [InlineData(4_737, "Large purchase: 47.37 EUR at Shop, just above your usual spending: 0.01 EUR (under 0.1 %) over the 47.36 EUR your purchases typically stay under, 2 standard deviations above your average purchase of 25.00 EUR.")]
    [InlineData(4_884, "Large purchase: 48.84 EUR at Shop, just above your usual spending: 1.48 EUR (3.1 %) over the 47.36 EUR your purchases typically stay under, 2.1 standard deviations above your average purchase of 25.00 EUR.")]
    [InlineData(6_000, "Large purchase: 60.00 EUR at Shop, well above your usual spending: 12.64 EUR (26.7 %) over the 47.36 EUR your purchases typically stay under, 3.1 standard deviations above your average purchase of 25.00 EUR.")]
    [InlineData(300_000, "Large purchase: 3,000.00 EUR at Shop, far above your usual spending: 2,952.64 EUR (6234.5 %) over the 47.36 EUR your purchases typically stay under, 266.1 standard deviations above your average purchase of 25.00 EUR.")]
    public void Variant_b_states_the_margin_and_how_unusual_the_purchase_is_and_says_far_above_only_when_it_is(long amountMinor, string expected)
    {
        var harness = new UseCaseHarness("LargePurchase", "B",
            "pipeline.use-cases.large-purchase.variant-b.min-history=4", "pipeline.use-cases.large-purchase.variant-b.sigmas=2");
        foreach (var amount in new long[] { 1_000, 2_000, 3_000, 4_000 })
            harness.Apply(harness.Transaction(T0, amountMinor: amount));

        Assert.Equal(expected, harness.Apply(harness.Transaction(T0.AddHours(1), "Shop", "retail", amountMinor))!.Message);
    }

    [Fact]
    public void Variant_b_never_calls_a_purchase_below_twice_the_usual_maximum_far_above()
    {
        // The purchase of the report that said "far above": 143.21 EUR against "typically up to 140.66 EUR".
        var transaction = new CardTransaction("t-1", "c-000001", "Shop", "retail", 14_321, 0, "EUR", T0);
        var message = AdaptiveThresholdLargePurchase.Message(transaction, mean: 4_066, deviation: 10_000 / 6.0, sigmas: 6);
        Assert.Equal("Large purchase: 143.21 EUR at Shop, just above your usual spending: 2.55 EUR (1.8 %) over the 140.66 EUR " +
                     "your purchases typically stay under, 6.2 standard deviations above your average purchase of 40.66 EUR.", message);
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
