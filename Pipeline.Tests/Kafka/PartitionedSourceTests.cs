using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Kafka;

[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class PartitionedSourceTests(EmbeddedKafkaFixture fixture) : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public async Task Each_assigned_partition_becomes_its_own_source_and_commits_its_own_offsets()
    {
        const int partitions = 8, records = 8_000;
        var topic = fixture.CreateTopic("partitioned", partitions);
        var group = EmbeddedKafkaFixture.UniqueGroup("partitioned");
        fixture.Produce(topic, records, keys: 200);
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<TopicPartition, List<long>>();
        var settings = KafkaTestSettings.Consumer(fixture.BootstrapServers, group);
        var committer = KafkaTestSettings.Committer().WithMaxInterval(TimeSpan.FromMilliseconds(100));
        var materializer = Sys.Materializer();

        var (control, completion) = KafkaSource.CommittablePartitionedSource<string, string>(settings, Subscription.ForTopics(topic))
            .SelectAsyncUnordered(partitions, assigned => assigned.Records
                .Select(ICommittable (message) =>
                {
                    Assert.Equal(assigned.Partition, message.Record.TopicPartition);
                    seen.GetOrAdd(assigned.Partition, _ => []).Add(message.Record.Offset.Value);
                    return message.CommittableOffset;
                })
                .RunWith(KafkaCommitter.Sink(committer), materializer))
            .ToMaterialized(Sink.Ignore<Akka.Done>(), Keep.Both)
            .Run(materializer);

        await AwaitConditionAsync(() =>
            {
                if (completion.IsFaulted)
                    throw completion.Exception!.GetBaseException();
                return Task.FromResult(TopicReader.CommittedTotal(fixture.BootstrapServers, group, topic, partitions) == records);
            },
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
        await control.Shutdown();

        Assert.Equal(partitions, seen.Count);
        Assert.Equal(records, seen.Values.Sum(offsets => offsets.Count));
        foreach (var offsets in seen.Values)
            Assert.Equal(Enumerable.Range(0, offsets.Count).Select(i => (long)i), offsets);
    }
}
