using Pipeline.Contracts;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Tests.Diamond;
using Pipeline.Tests.Generator;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Replay;

/// <summary>
/// `pipeline backfill` as child processes next to a live node (in this process) on the embedded Kafka: use cases added to a
/// running pipeline, backfilled over the history while records keep arriving, then switched to live, deliver what they would
/// have delivered had they run live from the start (within the backfilled window), each notification once.
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed partial class BackfillTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private const int WindowDays = 100;

    [Fact]
    public async Task Use_cases_backfilled_under_live_traffic_then_switched_to_live_deliver_the_uninterrupted_runs_notifications_once()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka);
        var all = diamond.Settings.UseCases;
        string[] added = ["duplicate-charge", "unusual-tip"];
        diamond.UseCases(all.Where(u => !added.Contains(u.UseCase.ConfigKey)).ToList());
        // About 85 simulated days from 130 days ago: the first 16,000 records are history when the use cases are added.
        var records = DiamondTests.Generate(32_000);
        var (history, duringBackfill, afterSwitch) = (records.Take(16_000).ToList(), records.Skip(16_000).Take(8_000).ToList(), records.Skip(24_000).ToList());

        await diamond.StartAsync();
        diamond.ProduceRaw(history);
        await diamond.WaitForUseCasesAsync(history.Count, Timeout);

        // duplicate-charge over all of its history, unusual-tip over the last 100 days only, while records keep coming.
        var before = DateTimeOffset.UtcNow;
        using var whole = PipelineProcess.Start(["backfill", "--use-case", "duplicate-charge", "--days", "200", .. diamond.ChildArguments()]);
        using var window = PipelineProcess.Start(["backfill", "--use-case", "unusual-tip", "--days", WindowDays.ToString(System.Globalization.CultureInfo.InvariantCulture), .. diamond.ChildArguments()]);
        var producing = Task.Run(() => diamond.ProduceRaw(duringBackfill));
        // Where each added use case's live stream starts: the end the topic had when its backfill began.
        var handOver = new Dictionary<string, Dictionary<int, long>>();
        foreach (var (backfill, key) in new[] { (whole, added[0]), (window, added[1]) })
        {
            var start = backfill.WaitForLine(line => line.StartsWith("backfill: the live stream", StringComparison.Ordinal), Timeout);
            output.WriteLine(start);
            handOver[key] = HandOverOffsets().Matches(start).ToDictionary(
                m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                m => long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
            output.WriteLine(backfill.WaitForLine(line => line.StartsWith("backfill: done", StringComparison.Ordinal), Timeout));
            Assert.True(backfill.WaitForExit(TimeSpan.FromSeconds(30)), backfill.Output);
            Assert.Equal(0, backfill.ExitCode);
        }
        var after = DateTimeOffset.UtcNow;
        await producing;
        await diamond.WaitForUseCasesAsync(history.Count + duringBackfill.Count, Timeout);

        // Switched to live: the node restarts running every use case. The added ones start at the offsets their backfill
        // committed; "latest" for a group without commits makes a missing hand-over lose records instead of hiding it.
        await diamond.StopAsync();
        diamond.UseCases(all);
        diamond.Adjust(s => s with { UseCaseStreams = s.UseCaseStreams with { Consumer = s.UseCaseStreams.Consumer.WithProperty("auto.offset.reset", "latest") } });
        await diamond.StartAsync();
        diamond.ProduceRaw(afterSwitch);
        // The added use cases' live streams start where their backfill handed over.
        foreach (var useCase in all.Select(u => u.UseCase.ConfigKey).Distinct())
            await diamond.WaitForStageAsync(UseCaseStreamSettings.StageName(useCase), records.Count - (handOver.GetValueOrDefault(useCase)?.Values.Sum() ?? 0), Timeout);
        // A record that reached 'transactions' after unusual-tip's hand-over is evaluated live, whatever its event time.
        var liveForTips = (await diamond.ReadWithPositionsAsync<Transaction>(diamond.Settings.Topics.Transactions, records.Count, Timeout))
            .Where(r => r.Position.Offset.Value >= handOver[added[1]][r.Position.Partition.Value])
            .Select(r => r.Value.transactionId).ToHashSet();

        var transactions = records.Select(r => RawRecordParser.Parse(r.Value)).ToList();
        var experiments = new Experiments(diamond.Settings.Downstream.BSharePercent);
        var uninterrupted = ExpectedNotifications.Compute(transactions, all, experiments);
        // unusual-tip's window starts 100 days before the backfill noted the topic's end, some time between before and after.
        var earliest = Expected(uninterrupted, before.AddDays(-WindowDays), liveForTips);
        var latest = Expected(uninterrupted, after.AddDays(-WindowDays), liveForTips);
        var tips = uninterrupted.Values.Where(f => f.UseCase == "UnusualTip").ToList();
        output.WriteLine($"unusual-tip: {tips.Count(f => f.Timestamp < before.AddDays(-WindowDays))} findings before the window, {tips.Count(f => f.Timestamp >= after.AddDays(-WindowDays))} in it");
        Assert.Contains(tips, f => f.Timestamp < before.AddDays(-WindowDays));
        Assert.Contains(tips, f => f.Timestamp >= after.AddDays(-WindowDays) && !afterSwitch.Any(r => r.TransactionId == f.TransactionId));

        var notifications = await diamond.ReadNotificationsAsync(earliest.Count, Timeout);
        var ids = notifications.Select(n => n.notificationId).Order().ToList();
        output.WriteLine($"{records.Count} records, {notifications.Count} notifications, {earliest.Count} expected");
        var index = records.Select((r, i) => (r.TransactionId, i)).ToDictionary(x => x.TransactionId, x => x.i);
        foreach (var missing in earliest.Except(ids))
            output.WriteLine($"missing: {uninterrupted[missing]} (record {index[uninterrupted[missing].TransactionId]})");
        foreach (var extra in notifications.Where(n => !earliest.Contains(n.notificationId)))
            output.WriteLine($"unexpected: {extra.useCase}/{extra.variant} {extra.customerId} {extra.transactionId} {extra.timestamp:O} {extra.message} (record {index[extra.transactionId]})");
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(ids.SequenceEqual(earliest) || ids.SequenceEqual(latest),
            $"missing: {string.Join(", ", earliest.Except(ids).Take(10))}; unexpected: {string.Join(", ", ids.Except(latest).Take(10))}");
    }

    [Fact]
    public async Task A_backfill_range_without_records_names_the_days_the_store_holds_and_print_shows_the_notifications_as_json()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka);
        // Simulated time 130 days back: a few days of records, none in the last 30 days.
        var records = DiamondTests.Generate(2_000);
        await diamond.StartAsync();
        diamond.ProduceRaw(records);
        await diamond.WaitForUseCasesAsync(records.Count, Timeout);

        using var backfill = PipelineProcess.Start(["backfill", "--use-case", "duplicate-charge", "--days", "30", .. diamond.ChildArguments()]);
        Assert.True(backfill.WaitForExit(Timeout), backfill.Output);
        output.WriteLine(backfill.Output);
        Assert.Equal(0, backfill.ExitCode);
        var oldest = records.Min(r => r.Timestamp);
        var newest = records.Max(r => r.Timestamp);
        Assert.Contains($"holds no records; the history store holds event-time days {oldest:yyyy-MM-dd} .. {newest:yyyy-MM-dd}", backfill.Output);
        Assert.Contains("give --days ", backfill.Output);
        Assert.Contains("backfill: done; 0 records", backfill.Output);

        // The notifications those records caused, as JSON lines decoded from Avro through the registry.
        var notifications = diamond.Settings.Topics.Notifications;
        using var print = PipelineProcess.Start(["print", "--topic", notifications, "--last", "3", .. diamond.ChildArguments()]);
        Assert.True(print.WaitForExit(Timeout), print.Output);
        Assert.True(print.ExitCode == 0, print.Output);
        var lines = print.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            Assert.Equal(notifications, json.RootElement.GetProperty("topic").GetString());
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("value").GetProperty("message").GetString()), line);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(\d+):(\d+)")]
    private static partial System.Text.RegularExpressions.Regex HandOverOffsets();

    /// <summary>
    /// The uninterrupted run's notifications; unusual-tip's only from <paramref name="windowStart"/> on, or for the records its
    /// live stream evaluated (<paramref name="live"/>).
    /// </summary>
    private static List<string> Expected(Dictionary<string, UseCaseFeedback> uninterrupted, DateTimeOffset windowStart, HashSet<string> live) =>
        uninterrupted.Values.Where(f => f.UseCase != "UnusualTip" || f.Timestamp >= windowStart || live.Contains(f.TransactionId))
            .Select(f => f.FeedbackId).Order().ToList();
}
