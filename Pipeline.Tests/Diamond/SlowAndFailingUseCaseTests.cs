using System.Text.RegularExpressions;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Service.Bench.Isolation;
using Pipeline.Tests.Generator;
using Pipeline.Tests.Support;
using Xunit.Abstractions;
using DeadLetter = Pipeline.Core.DeadLetters.DeadLetter;

namespace Pipeline.Tests.Diamond;

/// <summary>
/// Next to the reference use cases, one use case blocks 50 ms in every Evaluate and another throws on about one record in
/// 10, in one real node, with the use cases' entities on Akka's default dispatcher (the .NET thread pool, the default) and
/// each on a dispatcher of its own. Throughput is measured by <c>pipeline bench isolation</c>; this test holds what does not
/// depend on the machine's speed.
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed partial class SlowAndFailingUseCaseTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);
    private const int OneIn = 10;

    [Theory]
    [InlineData("")]
    [InlineData("own")]
    public async Task While_a_slow_use_case_is_far_behind_the_others_deliver_everything_and_a_failing_one_dead_letters_exactly_its_failures(string dispatcher)
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka, dispatcher.Length == 0 ? [] : [$"pipeline.use-cases.stream.dispatcher={dispatcher}"]);
        var records = DiamondTests.Generate(12_000);
        var healthy = diamond.Settings.UseCases;
        var history = healthy[0].History;
        diamond.UseCases([.. healthy,
            new ConfiguredUseCase(new SlowUseCase(), new SlowSettings(TimeSpan.FromMilliseconds(50)), history),
            new ConfiguredUseCase(new FailingUseCase(), new FailingSettings(OneIn), history)]);
        var transactions = records.Select(r => RawRecordParser.Parse(r.Value)).ToList();
        var expected = ExpectedNotifications.Compute(transactions, healthy, new Experiments(diamond.Settings.Downstream.BSharePercent));
        var failures = transactions.Where(t => FailingUseCase.Fails(t.TransactionId, OneIn)).Select(t => t.TransactionId).Order().ToList();
        Assert.InRange(failures.Count, records.Count / 20, records.Count / 5);

        await diamond.StartAsync();
        diamond.ProduceRaw(records);
        var notifications = await diamond.ReadNotificationsAsync(expected.Count, Timeout);
        var slow = diamond.Statistics.ProcessedBy(UseCaseStreamSettings.StageName(SlowUseCase.Key));
        output.WriteLine($"dispatcher \"{dispatcher}\", {records.Count} records, {failures.Count} failing: the others delivered {notifications.Count} notifications while the slow use case had finished {slow}");

        // The others: exactly their uninterrupted run's notifications, none missing, none twice, none extra.
        Assert.Equal(expected.Keys.Order(), notifications.Select(n => n.notificationId).Order());
        // ...while the slow use case (at most a few dozen records/s) is nowhere near done.
        Assert.True(slow < records.Count / 2, $"the slow use case finished {slow} of {records.Count} records: it was not slow enough to prove anything");

        // The failing use case: every record finished, each failure one dead letter naming the exception type and message.
        var failingStage = UseCaseStreamSettings.StageName(FailingUseCase.Key);
        await diamond.WaitForStageAsync(failingStage, records.Count, Timeout);
        var deadLetters = BinaryTopic.ReadAll(diamond.Bootstrap, diamond.Settings.Topics.DeadLetters, failures.Count, Timeout);
        Assert.All(deadLetters, letter =>
        {
            Assert.Equal("use-case-failed", BinaryTopic.Header(letter, DeadLetter.ReasonHeader));
            Assert.Equal(failingStage, BinaryTopic.Header(letter, DeadLetter.StageHeader));
        });
        var messages = deadLetters.Select(letter => BinaryTopic.Header(letter, DeadLetter.MessageHeader)).ToList();
        Assert.All(messages, m => Assert.Matches(FailureMessage(), m));
        Assert.Equal(failures, messages.Select(m => FailureMessage().Match(m).Groups["id"].Value).Order());

        // Neither restarted; the slow one is still working through its backlog.
        var node = diamond.Node!;
        Assert.Equal(0, node.UseCases.Stream(FailingUseCase.Key)!.RestartCount);
        Assert.Equal(0, node.UseCases.Stream(SlowUseCase.Key)!.RestartCount);
        Assert.True(diamond.Statistics.ProcessedBy(UseCaseStreamSettings.StageName(SlowUseCase.Key)) < records.Count);
    }

    [GeneratedRegex(@"^Failing/A: System\.InvalidOperationException: cannot evaluate transaction (?<id>\S+)$")]
    private static partial Regex FailureMessage();
}
