using Akka.Streams;
using Confluent.Kafka;
using Pipeline.Core.DevelopmentInfrastructure.Kafka;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Faults;

/// <summary>
/// The at-least-once stream under broker faults, on a cluster of its own: the faults are the embedded
/// broker's own (errors returned to real protocol requests).
/// </summary>
public sealed class BrokerFaultTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output), IDisposable
{
    private const int Partitions = 4;
    private const int Records = 20_000;
    private readonly EmbeddedKafka _kafka = EmbeddedKafka.Start();

    private static class ApiKey
    {
        public const short Produce = 0, Fetch = 1, OffsetCommit = 8;
    }

    private static class KafkaError
    {
        public const int LeaderNotAvailable = 5, NotLeaderForPartition = 6, RequestTimedOut = 7, CoordinatorNotAvailable = 15, NotCoordinator = 16;
    }

    [Fact]
    public async Task Injected_produce_fetch_and_commit_errors_are_retried_without_loss_or_overcommit()
    {
        var (input, outputTopic, group) = Prepare("request-errors");
        var run = PassThroughRun.Start(_kafka.BootstrapServers, input, outputTopic, group, Sys.Materializer(), perSecond: 4_000);
        using var watch = CommitWatch.Start(_kafka.BootstrapServers, input, outputTopic, group, Partitions);
        await AwaitConditionAsync(() => Task.FromResult(run.Acknowledged >= 3_000), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));

        _kafka.PushRequestErrors(ApiKey.Produce, Enumerable.Repeat(KafkaError.NotLeaderForPartition, 5).Append(KafkaError.RequestTimedOut).ToArray());
        _kafka.PushRequestErrors(ApiKey.Fetch, Enumerable.Repeat(KafkaError.LeaderNotAvailable, 5).ToArray());
        _kafka.PushRequestErrors(ApiKey.OffsetCommit, KafkaError.CoordinatorNotAvailable, KafkaError.NotCoordinator, KafkaError.RequestTimedOut);

        await FinishAndCheck(run, input, outputTopic, group, watch);
    }

    [Fact]
    public async Task Commits_resume_after_the_leader_and_coordinator_broker_was_down_for_ten_seconds()
    {
        const int broker = 1;
        var (input, outputTopic, group) = Prepare("broker-down");
        _kafka.SetGroupCoordinator(group, broker);
        // The broker leads every output partition and half the input partitions. The other input partitions keep
        // being fetched while the outputs wait for the missing broker, so their buffers fill and (after a short
        // pause-after) they are paused at the broker when the session is lost: the case that once left them unread.
        for (var partition = 0; partition < Partitions; partition++)
        {
            _kafka.SetPartitionLeader(input, partition, partition < Partitions / 2 ? broker : broker + 1);
            _kafka.SetPartitionLeader(outputTopic, partition, broker);
        }
        var listener = new RecordingPartitionListener();
        var run = PassThroughRun.Start(_kafka.BootstrapServers, input, outputTopic, group, Sys.Materializer(), perSecond: 4_000,
            subscription: Subscription.ForTopics(input).WithListener(listener),
            configure: consumer => consumer.WithPauseAfter(TimeSpan.FromMilliseconds(200)));
        using var watch = CommitWatch.Start(_kafka.BootstrapServers, input, outputTopic, group, Partitions);
        await AwaitConditionAsync(() => Task.FromResult(run.Acknowledged >= 3_000), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20));

        _kafka.SetBrokerDown(broker);
        await Task.Delay(TimeSpan.FromSeconds(10));
        _kafka.SetBrokerUp(broker);

        await FinishAndCheck(run, input, outputTopic, group, watch, commitsWithin: TimeSpan.FromSeconds(40));
        Output!.WriteLine("partition events: " + string.Join(", ", listener.Events));
        var events = listener.Events.ToList();
        var lost = events.FindIndex(e => e.StartsWith("lost", StringComparison.Ordinal));
        Assert.True(lost >= 0, "the outage should have cost the consumer its session and its partitions");
        Assert.Contains(events.Skip(lost), e => e.StartsWith("assigned", StringComparison.Ordinal) && e != "assigned 0");
    }

    private (string Input, string Output, string Group) Prepare(string name)
    {
        var input = $"{name}-in";
        var outputTopic = $"{name}-out";
        _kafka.CreateTopic(input, Partitions);
        _kafka.CreateTopic(outputTopic, Partitions);
        ProduceInput(input);
        return (input, outputTopic, $"{name}-group");
    }

    private async Task FinishAndCheck(PassThroughRun run, string input, string outputTopic, string group, CommitWatch watch,
        TimeSpan? commitsWithin = null)
    {
        await AwaitConditionAsync(() => Task.FromResult(TopicReader.CommittedTotal(_kafka.BootstrapServers, group, input, Partitions) == Records),
            commitsWithin ?? TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(500));
        await run.Control.DrainAndShutdown(run.Completion).WaitAsync(TimeSpan.FromSeconds(30));

        var outputs = TopicReader.ReadAll(_kafka.BootstrapServers, outputTopic, Records, TimeSpan.FromSeconds(60));
        Assert.Equal(Records, outputs.Select(r => r.Message.Value).Distinct().Count());
        Output!.WriteLine($"{outputs.Count - Records} duplicates; commits sampled {watch.Samples} times, never ahead of the outputs");
        Assert.Null(watch.Violation);
        Assert.True(watch.Samples > 10, "the commit watch should have sampled during the run");
    }

    private void ProduceInput(string topic)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers, LingerMs = 5 }).Build();
        for (var i = 0; i < Records; i++)
            producer.Produce(topic, new Message<string, string> { Key = $"k{i % 200}", Value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        producer.Flush(TimeSpan.FromSeconds(30));
    }

    void IDisposable.Dispose()
    {
        Shutdown();
        _kafka.Dispose();
    }

    /// <summary>
    /// Samples, while the stream runs, that the inputs committed never outnumber the outputs in the output
    /// topic: each input yields one output, so a commit ahead of them would be a commit past what was produced.
    /// </summary>
    private sealed class CommitWatch : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        private CommitWatch(string bootstrap, string input, string output, string group, int partitions)
        {
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        // Committed first, outputs second: outputs only grow, so the comparison errs on the safe side.
                        var committed = TopicReader.CommittedTotal(bootstrap, group, input, partitions);
                        var written = TopicReader.EndOffsetsTotal(bootstrap, output, partitions);
                        if (committed > written)
                            Violation ??= $"committed {committed} inputs while only {written} outputs were written";
                        Samples++;
                    }
                    catch (KafkaException)
                    {
                        // The broker under test is down: no sample this time.
                    }
                    await Task.Delay(200);
                }
            });
        }

        public int Samples { get; private set; }

        public string? Violation { get; private set; }

        public static CommitWatch Start(string bootstrap, string input, string output, string group, int partitions) =>
            new(bootstrap, input, output, group, partitions);

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait(TimeSpan.FromSeconds(30));
        }
    }
}
