using System.Collections.Concurrent;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Kafka;

[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class RebalanceTests(EmbeddedKafkaFixture fixture, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private const int Partitions = 8;

    [Fact]
    public async Task A_second_consumer_joining_and_the_first_leaving_loses_nothing_and_keeps_partition_order()
    {
        const int records = 40_000;
        var input = fixture.CreateTopic("rebalance-in", Partitions);
        var outputTopic = fixture.CreateTopic("rebalance-out", Partitions);
        var group = EmbeddedKafkaFixture.UniqueGroup("rebalance");
        fixture.Produce(input, records, keys: 400);
        var materializer = Sys.Materializer();
        var firstListener = new RecordingPartitionListener();
        var secondListener = new RecordingPartitionListener();

        var first = PassThroughRun.Start(fixture.BootstrapServers, input, outputTopic, group, materializer, perSecond: 4_000,
            subscription: Subscription.ForTopics(input).WithListener(firstListener));
        await AwaitConditionAsync(() => Task.FromResult(first.Acknowledged >= 4_000), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));

        var second = PassThroughRun.Start(fixture.BootstrapServers, input, outputTopic, group, materializer, perSecond: 4_000,
            subscription: Subscription.ForTopics(input).WithListener(secondListener));
        await AwaitConditionAsync(() => Task.FromResult(second.Control.Metrics.AssignedPartitions.Count > 0 && second.Acknowledged > 1_000),
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));
        Assert.True(first.Control.Metrics.AssignedPartitions.Count < Partitions, "the first consumer should have given partitions to the second");

        // The first leaves without draining: its remaining partitions are revoked and move to the second.
        await first.Control.Shutdown().WaitAsync(TimeSpan.FromSeconds(30));
        await AwaitConditionAsync(() => Task.FromResult(TopicReader.CommittedTotal(fixture.BootstrapServers, group, input, Partitions) == records),
            TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(500));
        Assert.Equal(Partitions, second.Control.Metrics.AssignedPartitions.Count);
        await second.Control.DrainAndShutdown(second.Completion).WaitAsync(TimeSpan.FromSeconds(30));

        Output!.WriteLine("first: " + string.Join(", ", firstListener.Events));
        Output!.WriteLine("second: " + string.Join(", ", secondListener.Events));
        var outputs = TopicReader.ReadAll(fixture.BootstrapServers, outputTopic, records, TimeSpan.FromSeconds(60));
        Assert.Equal(records, outputs.Select(r => r.Message.Value).Distinct().Count());
        Output!.WriteLine($"{outputs.Count - records} duplicates from the hand-over");
        foreach (var byKey in outputs.GroupBy(r => r.Message.Key))
        {
            var firstSeen = byKey.Select(r => int.Parse(r.Message.Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
            Assert.Equal(firstSeen.Order(), firstSeen);
        }
    }

    [Fact]
    public async Task An_offset_of_a_partition_the_consumer_no_longer_owns_is_never_committed()
    {
        var input = fixture.CreateTopic("revoked-commit", Partitions);
        var group = EmbeddedKafkaFixture.UniqueGroup("revoked-commit");
        fixture.Produce(input, 8_000, keys: 400);
        var listener = new RecordingPartitionListener();
        var consumer = KafkaTestSettings.Consumer(fixture.BootstrapServers, group).WithWaitClosePartition(TimeSpan.Zero);

        // Hold the first record of every partition without committing it.
        var held = new ConcurrentDictionary<TopicPartition, CommittableOffset>();
        var firstControl = KafkaSource.CommittableSource<string, string>(consumer, Subscription.ForTopics(input).WithListener(listener))
            .Select(message =>
            {
                held.TryAdd(message.Record.TopicPartition, message.CommittableOffset);
                return message;
            })
            .Throttle(200, TimeSpan.FromSeconds(1), 1, ThrottleMode.Shaping)
            .ToMaterialized(Sink.Ignore<CommittableMessage<string, string>>(), Keep.Left)
            .Run(Sys.Materializer());
        await AwaitConditionAsync(() => Task.FromResult(held.Count == Partitions), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));

        // A second member takes some partitions away; wait until the rebalance is over (every partition owned by one of
        // the two), or a partition revoked from the first could come back to it between the check and the commits below.
        // The second member never commits, so a committed offset of those partitions can only come from the first.
        var secondControl = KafkaSource.CommittableSource<string, string>(consumer, Subscription.ForTopics(input))
            .ToMaterialized(Sink.Ignore<CommittableMessage<string, string>>(), Keep.Left)
            .Run(Sys.Materializer());
        await AwaitConditionAsync(() => Task.FromResult(!listener.Revoked.IsEmpty && secondControl.Metrics.AssignedPartitions.Count > 0
                && firstControl.Metrics.AssignedPartitions.Count + secondControl.Metrics.AssignedPartitions.Count == Partitions),
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));
        var revoked = listener.Revoked.Keys.Where(p => !firstControl.Metrics.AssignedPartitions.Contains(p)).ToList();
        Assert.NotEmpty(revoked);
        var before = CommittedOffsets(group, revoked);

        // Committing the held offsets of revoked partitions must not reach the broker.
        await Task.WhenAll(revoked.Select(p => held[p].CommitAsync()));
        Assert.Equal(before, CommittedOffsets(group, revoked));
        Assert.Equal(revoked.Count, firstControl.Metrics.CommitsDroppedForRevokedPartitions);

        await firstControl.Shutdown();
        await secondControl.Shutdown();
    }

    [Fact]
    public async Task A_partition_paused_for_backpressure_is_read_again_after_it_was_revoked_and_assigned_back()
    {
        const int records = 4_000;
        var input = fixture.CreateTopic("paused-revoked", Partitions);
        var group = EmbeddedKafkaFixture.UniqueGroup("paused-revoked");
        fixture.Produce(input, records, keys: 400);
        var listener = new RecordingPartitionListener();
        // Small buffers that pause quickly, and no wait for the held records' commits on revocation.
        var consumer = KafkaTestSettings.Consumer(fixture.BootstrapServers, group)
            .WithPartitionBufferSize(10)
            .WithPauseAfter(TimeSpan.FromMilliseconds(100))
            .WithWaitClosePartition(TimeSpan.Zero);

        // The first member's stream is blocked: its partitions fill their buffers and are paused at the broker.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (first, firstCompletion) = KafkaSource.CommittableSource<string, string>(consumer, Subscription.ForTopics(input).WithListener(listener))
            .SelectAsync(1, async message =>
            {
                await gate.Task;
                return (ICommittable)message.CommittableOffset;
            })
            .ToMaterialized(KafkaCommitter.Sink(KafkaTestSettings.Committer().WithMaxInterval(TimeSpan.FromMilliseconds(200))), Keep.Both)
            .Run(Sys.Materializer());
        await AwaitConditionAsync(() => Task.FromResult(first.Metrics.AssignedPartitions.Count == Partitions), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));
        await Task.Delay(TimeSpan.FromSeconds(2));

        // A second member takes some of the paused partitions, reads part of them slowly, and leaves: they come back.
        var second = PassThroughRun.Start(fixture.BootstrapServers, input, fixture.CreateTopic("paused-revoked-out", Partitions), group, Sys.Materializer(),
            perSecond: 200);
        await AwaitConditionAsync(() => Task.FromResult(second.Acknowledged >= 200), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));
        await second.Control.DrainAndShutdown(second.Completion).WaitAsync(TimeSpan.FromSeconds(30));
        await AwaitConditionAsync(() => Task.FromResult(first.Metrics.AssignedPartitions.Count == Partitions), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));
        Assert.Contains(listener.Events, e => e.StartsWith("revoked", StringComparison.Ordinal));

        // Once unblocked, the first member reads every partition to the end, the returned ones included.
        gate.SetResult();
        await AwaitConditionAsync(() => Task.FromResult(TopicReader.CommittedTotal(fixture.BootstrapServers, group, input, Partitions) == records),
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
        await first.DrainAndShutdown(firstCompletion).WaitAsync(TimeSpan.FromSeconds(30));
        Output!.WriteLine("first: " + string.Join(", ", listener.Events));
    }

    private Dictionary<TopicPartition, long> CommittedOffsets(string group, IEnumerable<TopicPartition> partitions)
    {
        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = fixture.BootstrapServers, GroupId = group }).Build();
        return reader.Committed(partitions, TimeSpan.FromSeconds(10)).ToDictionary(o => o.TopicPartition, o => o.Offset.Value);
    }
}
