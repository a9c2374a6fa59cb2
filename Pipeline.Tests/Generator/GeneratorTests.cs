using System.Text.Json;
using Pipeline.Core.Configuration;
using Pipeline.Core.Generator;
using Pipeline.Core.UseCases;

namespace Pipeline.Tests.Generator;

public sealed class GeneratorTests
{
    internal static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 15, 0, TimeSpan.Zero);

    internal static GeneratorSettings DefaultSettings(params string[] overrides) =>
        GeneratorSettings.Create(PipelineConfig.Load(null, overrides, new Dictionary<string, string>()).Section("pipeline.generator"), Now);

    [Fact]
    public void Same_seed_gives_byte_identical_records_and_another_seed_does_not()
    {
        var first = TransactionGenerator.Create(DefaultSettings()).Records().Take(5_000).ToList();
        var again = TransactionGenerator.Create(DefaultSettings()).Records().Take(5_000).ToList();
        var other = TransactionGenerator.Create(DefaultSettings("pipeline.generator.seed=7")).Records().Take(5_000).ToList();

        Assert.Equal(first.Select(r => Convert.ToBase64String(r.Value)), again.Select(r => Convert.ToBase64String(r.Value)));
        Assert.Equal(first.Select(r => r.Behaviour), again.Select(r => r.Behaviour));
        Assert.NotEqual(first.Select(r => Convert.ToBase64String(r.Value)), other.Select(r => Convert.ToBase64String(r.Value)));
    }

    [Fact]
    public void Timeline_starts_at_midnight_before_now_and_timestamps_never_go_back()
    {
        var settings = DefaultSettings();
        Assert.Equal(new DateTimeOffset(2026, 8, 26, 0, 0, 0, TimeSpan.Zero), settings.Start);

        var records = TransactionGenerator.Create(settings).Records().Take(20_000).ToList();
        Assert.All(records.Zip(records.Skip(1)), pair => Assert.True(pair.Item1.Timestamp <= pair.Item2.Timestamp));
        Assert.True(records[0].Timestamp >= settings.Start);
        // 1,000 customers at 1.5-3.5 purchases a day plus subscriptions: roughly 2,500-3,000 records per simulated day.
        var days = (records[^1].Timestamp - records[0].Timestamp).TotalDays;
        Assert.InRange(20_000 / days, 2_300, 3_300);
    }

    [Fact]
    public void Records_follow_the_raw_json_contract_and_are_keyed_by_customer()
    {
        var record = TransactionGenerator.Create(DefaultSettings()).Records().First();
        using var json = JsonDocument.Parse(record.Value);
        var root = json.RootElement;

        Assert.Equal(
            ["transactionId", "customerId", "merchant", "category", "amount", "tip", "currency", "timestamp"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("t-00000001", root.GetProperty("transactionId").GetString());
        Assert.Equal(record.Key, root.GetProperty("customerId").GetString());
        Assert.Matches(@"^c-\d{6}$", record.Key);
        Assert.Matches(@"^\d+\.\d{2}$", root.GetProperty("amount").GetString());
        Assert.Matches(@"^\d+\.\d{2}$", root.GetProperty("tip").GetString());
        Assert.Contains(root.GetProperty("category").GetString(), Categories.All);
        Assert.Equal(record.Timestamp, DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("Z", root.GetProperty("timestamp").GetString());
    }

    [Fact]
    public void Proportions_of_categories_tips_and_injections_are_realistic()
    {
        var transactions = GeneratedSample.Records;
        double Share(Func<CardTransaction, bool> predicate) => transactions.Count(t => predicate(t.Transaction)) / (double)transactions.Count;

        Assert.InRange(Share(t => t.Category == Categories.Grocery), 0.25, 0.40);
        Assert.InRange(Share(t => t.Category == Categories.Restaurant), 0.10, 0.25);
        Assert.InRange(Share(t => t.Category == Categories.Subscription), 0.01, 0.06);
        Assert.InRange(Share(t => t.Category == Categories.Fuel), 0.07, 0.15);

        var ordinaryTips = transactions
            .Where(t => t.Transaction.Category == Categories.Restaurant && t.Record.Behaviour is null && t.Transaction.TipMinor > 0)
            .Select(t => t.Transaction.TipMinor / (double)t.Transaction.AmountMinor).ToList();
        var tipsFrom10To20Percent = ordinaryTips.Count(p => p is >= 0.095 and <= 0.205) / (double)ordinaryTips.Count;
        Assert.True(tipsFrom10To20Percent > 0.9, $"only {tipsFrom10To20Percent:P1} of ordinary tips are 10-20 %");

        var injected = transactions.Where(t => t.Record.Behaviour is not null).GroupBy(t => t.Record.Behaviour!)
            .ToDictionary(g => g.Key, g => g.Count());
        foreach (var behaviour in InjectedBehaviours.All)
            Assert.True(injected.GetValueOrDefault(behaviour) is >= 50 and <= 2_000,
                string.Join(", ", injected.Select(kv => $"{kv.Key}: {kv.Value}")));
        Assert.True(injected.Values.Sum() < transactions.Count * 0.03, "injections must stay rare");
        Assert.True(transactions.Where(t => t.Record.Behaviour is null).All(t => t.Transaction.AmountMinor < 1_000_00),
            "only injected large purchases may exceed 1,000 EUR");
    }

    [Fact]
    public void Ground_truth_file_has_one_json_line_per_injected_record()
    {
        var records = TransactionGenerator.Create(DefaultSettings()).Records().Take(30_000).ToList();
        var path = Path.Combine(Path.GetTempPath(), $"truth-{Guid.NewGuid():N}.jsonl");
        try
        {
            using (var writer = GroundTruthWriter.ToFile(path))
                foreach (var record in records)
                    writer.Write(record);

            var lines = File.ReadAllLines(path);
            var injected = records.Where(r => r.Behaviour is not null).ToList();
            Assert.Equal(injected.Count, lines.Length);
            using var first = JsonDocument.Parse(lines[0]);
            Assert.Equal(injected[0].TransactionId, first.RootElement.GetProperty("transactionId").GetString());
            Assert.Equal(injected[0].Key, first.RootElement.GetProperty("customerId").GetString());
            Assert.Equal(injected[0].Behaviour, first.RootElement.GetProperty("behaviour").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Bad_settings_are_refused_with_the_key_named()
    {
        var error = Assert.Throws<ConfigurationError>(() => DefaultSettings("pipeline.generator.injections.unusual-tip=1.5"));
        Assert.Contains("pipeline.generator.injections.unusual-tip", error.Message);
        error = Assert.Throws<ConfigurationError>(() => DefaultSettings("pipeline.generator.purchases-per-day-max=0.5"));
        Assert.Contains("purchases-per-day-max", error.Message);
    }
}
