using Pipeline.Core.Configuration;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.UseCases;
using Pipeline.UseCases.DuplicateCharge;
using Pipeline.UseCases.LargePurchase;
using static Pipeline.Tests.UseCases.UseCaseHarness;

namespace Pipeline.Tests.UseCases;

public sealed class UseCaseRegistryTests
{
    private static ConfigSection UseCasesSection(params string[] overrides) =>
        PipelineConfig.Load(null, overrides, new Dictionary<string, string>()).Section("pipeline.use-cases");

    [Fact]
    public void Discovers_the_reference_use_cases_and_configures_every_enabled_variant()
    {
        var registry = UseCaseRegistry.Discover(UseCasesAssembly.Assembly);
        var found = registry.All.Select(u => $"{u.Name}/{u.Variant}").ToList();
        foreach (var reference in new[] { "DuplicateCharge/A", "LargePurchase/A", "LargePurchase/B", "RecurringChargeIncrease/A", "UnusualTip/A" })
            Assert.Contains(reference, found);
        Assert.Equal(registry.All.OrderBy(u => u.Name, StringComparer.Ordinal).ThenBy(u => u.Variant, StringComparer.Ordinal), registry.All);

        // Every variant of every enabled key, and nothing else: derived from the configuration, so adding a use case breaks nothing here.
        var section = UseCasesSection();
        var enabled = section.GetStringList("enabled");
        var configured = registry.Configure(section);
        Assert.Equal(
            enabled.SelectMany(key => registry.All.Where(u => u.ConfigKey == key)).Select(u => $"{u.Name}/{u.Variant}"),
            configured.Select(u => u.ToString()));
        // The shared history, except where a use case sets its own.
        Assert.All(configured, u => Assert.Equal(
            section.Section(u.UseCase.ConfigKey).Has("history") ? section.Section(u.UseCase.ConfigKey).GetDuration("history") : section.GetDuration("history"),
            u.History));
        Assert.Equal(TimeSpan.FromDays(70), configured.Single(u => u.Name == "RecurringChargeIncrease").History);
        Assert.Equal(new DuplicateChargeSettings(TimeSpan.FromHours(24)), configured.Single(u => u.Name == "DuplicateCharge").Settings);
    }

    [Fact]
    public void Every_registered_use_case_has_its_settings_block_and_a_kebab_key_of_its_name()
    {
        var section = UseCasesSection();
        foreach (var useCase in UseCaseRegistry.Discover(UseCasesAssembly.Assembly).All)
        {
            Assert.Equal(UseCaseNames.ToConfigKey(useCase.Name), useCase.ConfigKey);
            Assert.True(section.Has(useCase.ConfigKey),
                $"{useCase.Name}/{useCase.Variant} has no block 'pipeline.use-cases.{useCase.ConfigKey}' in config/pipeline.conf; add it (docs/use-cases.md).");
        }
    }

    [Fact]
    public void A_history_shorter_than_the_use_case_needs_is_refused_with_both_numbers()
    {
        var error = Assert.Throws<ConfigurationError>(() => UseCaseRegistry.Discover(UseCasesAssembly.Assembly)
            .Configure(UseCasesSection("pipeline.use-cases.recurring-charge-increase.history=60d")));
        Assert.Contains("needs at least 68 days of history", error.Message);
        Assert.Contains("'pipeline.use-cases.recurring-charge-increase.history' is 60 days", error.Message);
    }

    [Fact]
    public void A_store_retention_shorter_than_a_use_case_history_is_refused()
    {
        var config = PipelineConfig.Load(null, ["pipeline.store.retention=60d"], new Dictionary<string, string>());
        var useCases = UseCaseRegistry.Discover(UseCasesAssembly.Assembly).Configure(config.Section("pipeline.use-cases"));
        var store = Pipeline.Core.Storage.HistoryStoreSettings.Create(config);

        var error = Assert.Throws<ConfigurationError>(() => store.EnsureRetains(useCases));
        Assert.Contains("RecurringChargeIncrease/A looks back 70 days, but 'pipeline.store.retention' keeps only 60 days", error.Message);
    }

    [Fact]
    public void Only_enabled_use_cases_are_configured()
    {
        var configured = UseCaseRegistry.Discover(UseCasesAssembly.Assembly).Configure(UseCasesSection("pipeline.use-cases.enabled=[large-purchase]"));
        Assert.Equal(["LargePurchase/A", "LargePurchase/B"], configured.Select(u => u.ToString()));
    }

    [Fact]
    public void Unknown_enabled_name_is_refused_with_the_known_names()
    {
        var error = Assert.Throws<ConfigurationError>(() =>
            UseCaseRegistry.Discover(UseCasesAssembly.Assembly).Configure(UseCasesSection("pipeline.use-cases.enabled=[duplicate-charges]")));
        Assert.Contains("'duplicate-charges'", error.Message);
        Assert.Contains("duplicate-charge,", error.Message);
    }

    [Fact]
    public void Bad_use_case_setting_is_refused_with_its_key()
    {
        var error = Assert.Throws<ConfigurationError>(() =>
            UseCaseRegistry.Discover(UseCasesAssembly.Assembly).Configure(UseCasesSection("pipeline.use-cases.unusual-tip.factor=lots")));
        Assert.Contains("pipeline.use-cases.unusual-tip.factor", error.Message);
    }

    [Fact]
    public void Two_classes_declaring_the_same_name_and_variant_are_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            UseCaseRegistry.Of([new FixedThresholdLargePurchase(), new FixedThresholdLargePurchase()]));
        Assert.Contains("LargePurchase variant A", error.Message);
    }

    [Fact]
    public void Config_key_is_the_name_in_kebab_case()
    {
        Assert.Equal("recurring-charge-increase", UseCaseNames.ToConfigKey("RecurringChargeIncrease"));
    }

    [Fact]
    public void Feedback_ids_are_deterministic_and_differ_by_use_case_variant_and_transaction()
    {
        var id = FeedbackIds.For("LargePurchase", "A", "t-00000001");
        Assert.Equal(id, FeedbackIds.For("LargePurchase", "A", "t-00000001"));
        Assert.True(Guid.TryParse(id, out _));
        Assert.NotEqual(id, FeedbackIds.For("LargePurchase", "B", "t-00000001"));
        Assert.NotEqual(id, FeedbackIds.For("LargePurchase", "A", "t-00000002"));
        Assert.NotEqual(id, FeedbackIds.For("DuplicateCharge", "A", "t-00000001"));
    }

    [Fact]
    public void Applied_transactions_are_remembered_for_the_history_window_only()
    {
        var harness = new UseCaseHarness("DuplicateCharge");
        for (var day = 0; day < 100; day++)
            harness.Apply(harness.Transaction(T0.AddDays(day), amountMinor: 100 + day));

        // Days 39..99 are within 60 days of the last transaction.
        Assert.Equal(61, harness.Memory.AppliedCount);
        Assert.Equal(T0.AddDays(39), harness.Memory.OldestApplied?.Timestamp);
    }

    [Fact]
    public void A_transaction_replayed_after_its_window_has_passed_is_not_evaluated_again()
    {
        var harness = new UseCaseHarness("DuplicateCharge");
        var subscription = harness.Transaction(T0, amountMinor: 999);
        Assert.Null(harness.Apply(subscription));
        // A month later the same subscription charge again, then two months of other charges: the first one leaves the window.
        Assert.Null(harness.Apply(harness.Transaction(T0.AddDays(30), amountMinor: 999)));
        for (var day = 31; day < 92; day++)
            harness.Apply(harness.Transaction(T0.AddDays(day), amountMinor: 100 + day));
        harness.Apply(harness.Transaction(T0.AddDays(92).AddHours(-1), amountMinor: 999));
        var before = harness.Memory.State;

        // Redelivered from far back (as a replay can): evaluated against today's state it would match the latest 9.99.
        Assert.Null(harness.Apply(subscription));
        Assert.Same(before, harness.Memory.State);
    }
}
