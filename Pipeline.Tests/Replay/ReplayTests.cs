using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Contracts;
using Pipeline.Tests.Diamond;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Replay;

/// <summary>
/// `pipeline replay` as a child process next to a live node (in this process) on the embedded Kafka: the replay's feedback
/// for a time range equals the feedback the live use case produced for the records of that range.
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class ReplayTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private const int BatchSize = 4_000;

    [Fact]
    public async Task A_replayed_time_range_gives_the_live_feedback_of_that_range_and_ends_at_to()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka);
        var records = DiamondTests.Generate(3 * BatchSize);
        // Three batches an hour apart in Kafka time (the raw records' timestamps travel on to transactions and feedback).
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1), TimeSpan.Zero);
        var batchStart = Enumerable.Range(0, 3).Select(i => start.AddHours(i)).ToArray();
        await diamond.StartAsync();
        for (var i = 0; i < 3; i++)
            diamond.ProduceRaw(records.Skip(i * BatchSize).Take(BatchSize), batchStart[i]);
        await diamond.WaitForUseCasesAsync(records.Count, Timeout);
        var live = await diamond.ReadAsync<Feedback>(diamond.Settings.Topics.Feedback, 1, Timeout);

        // The middle batch only: --to ends each partition at its first record of the last batch.
        var middle = await ReplayAsync(diamond, "duplicate-charge", batchStart[1], batchStart[2].AddMilliseconds(-1));
        AssertSameFeedback(live, "DuplicateCharge", batchStart[1], batchStart[2].UtcDateTime, middle.Feedback);
        Assert.Equal(BatchSize, middle.Evaluated);
    }

    [Fact]
    public async Task A_replay_without_to_ends_once_caught_up_with_the_end_the_topic_had_when_it_started()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka);
        var records = DiamondTests.Generate(2 * BatchSize);
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1), TimeSpan.Zero);
        var batchStart = new[] { start, start.AddHours(1) };
        await diamond.StartAsync();
        for (var i = 0; i < 2; i++)
            diamond.ProduceRaw(records.Skip(i * BatchSize).Take(BatchSize), batchStart[i]);
        await diamond.WaitForUseCasesAsync(records.Count, Timeout);
        var live = await diamond.ReadAsync<Feedback>(diamond.Settings.Topics.Feedback, 1, Timeout);

        var rest = await ReplayAsync(diamond, "duplicate-charge", batchStart[1], null);
        AssertSameFeedback(live, "DuplicateCharge", batchStart[1], DateTime.MaxValue, rest.Feedback);
        Assert.Equal(BatchSize, rest.Evaluated);
    }

    [Fact]
    public async Task A_replay_of_a_range_without_records_says_so_with_the_times_the_topic_holds()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka);
        var records = DiamondTests.Generate(BatchSize / 4);
        var sent = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1), TimeSpan.Zero);
        await diamond.StartAsync();
        diamond.ProduceRaw(records, sent);
        await diamond.WaitForUseCasesAsync(records.Count, Timeout);

        var from = sent.AddHours(2);
        using var replay = PipelineProcess.Start(
        [
            "replay", "--use-case", "duplicate-charge", "--from", from.ToString("O"), "--to", from.AddHours(1).ToString("O"),
            "--output-topic", kafka.CreateTopic("replay-output", DiamondHarness.Partitions), .. diamond.ChildArguments()
        ]);
        var summary = replay.WaitForLine(line => line.StartsWith("replay: done", StringComparison.Ordinal), Timeout);
        Assert.True(replay.WaitForExit(TimeSpan.FromSeconds(30)), "replay did not exit:\n" + replay.Output);
        output.WriteLine(replay.Output);
        Assert.Equal(0, replay.ExitCode);
        Assert.Contains("0 records read", summary);
        var explanation = Regex.Match(replay.Output, @"holds records with timestamps from (\S+) to (\S+)\.");
        Assert.True(explanation.Success, "no explanation of the empty range:\n" + replay.Output);
        var oldest = DateTimeOffset.Parse(explanation.Groups[1].Value, CultureInfo.InvariantCulture);
        var newest = DateTimeOffset.Parse(explanation.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.InRange(oldest, sent.AddSeconds(-1), from);
        Assert.InRange(newest, oldest, from);
    }

    [Theory]
    [InlineData("--from yesterday", "--from 'yesterday' is not an ISO 8601 time; give one such as 2026-11-24T10:00:00Z.")]
    [InlineData("--from 2026-11-24T10:00:00Z --to 2026-11-24T09:00:00Z", "--to (2026-11-24T09:00:00.0000000+00:00) is before --from")]
    [InlineData("--from 2026-11-24T10:00:00Z", "`pipeline replay` works on the Kafka the pipeline runs on: set pipeline.kafka.bootstrap-servers")]
    [InlineData("--from 2026-11-24T10:00:00Z --set pipeline.kafka.bootstrap-servers=127.0.0.1:9", "set pipeline.schema-registry.url")]
    public void A_replay_asked_wrongly_exits_1_saying_what_to_fix(string arguments, string message)
    {
        using var replay = PipelineProcess.Start(["replay", "--use-case", "duplicate-charge", .. arguments.Split(' ')]);
        Assert.True(replay.WaitForExit(TimeSpan.FromSeconds(30)), replay.Output);
        Assert.Equal(1, replay.ExitCode);
        Assert.Contains(message, replay.Output);
    }

    [Fact]
    public async Task A_replayed_Python_use_case_gives_its_live_feedback_of_the_range()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka,
            $"pipeline.python.use-cases-dir={UseCases.Python.PythonUseCaseFiles.Shipped}",
            "pipeline.use-cases.enabled=[duplicate-charge-py]");
        var records = DiamondTests.Generate(2 * BatchSize);
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1), TimeSpan.Zero);
        await diamond.StartAsync();
        diamond.ProduceRaw(records.Take(BatchSize), start);
        diamond.ProduceRaw(records.Skip(BatchSize), start.AddHours(1));
        await diamond.WaitForUseCasesAsync(records.Count, Timeout);
        var live = await diamond.ReadAsync<Feedback>(diamond.Settings.Topics.Feedback, 1, Timeout);

        // The second batch: its entities rebuild their state from the history store, as the live ones did.
        var second = await ReplayAsync(diamond, "duplicate-charge-py", start.AddHours(1), null);
        AssertSameFeedback(live, "DuplicateChargePy", start.AddHours(1), DateTime.MaxValue, second.Feedback);
        Assert.Equal(BatchSize, second.Evaluated);
    }

    private async Task<(List<(Feedback Value, DateTime Timestamp)> Feedback, long Evaluated)> ReplayAsync(
        DiamondHarness diamond, string useCase, DateTimeOffset from, DateTimeOffset? to)
    {
        var topic = kafka.CreateTopic("replay-output", DiamondHarness.Partitions);
        string[] arguments =
        [
            "replay", "--use-case", useCase, "--from", from.ToString("O"), .. to is { } until ? new[] { "--to", until.ToString("O") } : [],
            "--output-topic", topic, .. diamond.ChildArguments()
        ];
        using var replay = PipelineProcess.Start(arguments);
        var summary = replay.WaitForLine(line => line.StartsWith("replay: done", StringComparison.Ordinal), Timeout);
        Assert.True(replay.WaitForExit(TimeSpan.FromSeconds(30)), "replay did not exit:\n" + replay.Output);
        Assert.Equal(0, replay.ExitCode);
        output.WriteLine(summary);

        var feedback = long.Parse(Regex.Match(summary, @"(\d+) feedback").Groups[1].Value, CultureInfo.InvariantCulture);
        var evaluated = long.Parse(Regex.Match(summary, @"(\d+) evaluated").Groups[1].Value, CultureInfo.InvariantCulture);
        var written = await diamond.ReadAsync<Feedback>(topic, (int)feedback, Timeout);
        Assert.Equal(feedback, written.Count);
        return (written, evaluated);
    }

    private void AssertSameFeedback(List<(Feedback Value, DateTime Timestamp)> live, string useCase, DateTimeOffset from, DateTime until,
        List<(Feedback Value, DateTime Timestamp)> replayed)
    {
        var expected = live.Where(f => f.Value.useCase == useCase && f.Timestamp >= from.UtcDateTime && f.Timestamp < until).Select(Describe).Order().ToList();
        output.WriteLine($"{useCase}: {expected.Count} live feedback records in range, {replayed.Count} replayed");
        Assert.True(expected.Count >= 10, $"only {expected.Count} live feedback records of {useCase} in range: too few to compare");
        Assert.Equal(expected, replayed.Select(Describe).Order().ToList());
    }

    private static string Describe((Feedback Value, DateTime Timestamp) f) =>
        $"{f.Value.feedbackId}|{f.Value.variant}|{f.Value.customerId}|{f.Value.transactionId}|{f.Value.message}|{f.Value.timestamp:O}|{f.Timestamp:O}";
}
