using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Kafka;

[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class TransactionalTests(EmbeddedKafkaFixture fixture) : Akka.TestKit.Xunit2.TestKit
{
    private const int Partitions = 4;
    private const int Records = 10_000;

    [Fact]
    public async Task A_failure_after_producing_but_before_the_commit_leaves_each_input_exactly_once_for_read_committed()
    {
        var input = fixture.CreateTopic("txn-in", Partitions);
        var outputTopic = fixture.CreateTopic("txn-out", Partitions);
        var group = EmbeddedKafkaFixture.UniqueGroup("txn");
        var transactionalId = $"txn-{Guid.NewGuid():N}";
        fixture.Produce(input, Records);

        // First run: fails once 3,000 records have been produced inside the open transaction.
        var failing = Run(input, outputTopic, group, transactionalId, failAfter: 3_000);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal("injected failure before the transaction commits", failure.Message);

        // Restart from the transactionally committed offsets and run to the end.
        var completing = Run(input, outputTopic, group, transactionalId, failAfter: int.MaxValue);
        await AwaitConditionAsync(() => Task.FromResult(TopicReader.CommittedTotal(fixture.BootstrapServers, group, input, Partitions) == Records),
            TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500));

        var committedView = TopicReader.ReadAll(fixture.BootstrapServers, outputTopic, Records, TimeSpan.FromSeconds(60), IsolationLevel.ReadCommitted);
        Assert.Equal(Records, committedView.Count);
        Assert.Equal(Records, committedView.Select(r => r.Message.Value).Distinct().Count());

        // The aborted transaction's records are in the log, only invisible to read_committed.
        var everything = TopicReader.ReadAll(fixture.BootstrapServers, outputTopic, Records, TimeSpan.FromSeconds(60));
        Assert.True(everything.Count > Records, $"expected aborted records in the log, read_uncommitted saw {everything.Count}");
        _ = completing;
    }

    private Task Run(string input, string output, string group, string transactionalId, int failAfter)
    {
        var consumer = KafkaTestSettings.Consumer(fixture.BootstrapServers, group);
        var producer = KafkaTestSettings.Producer(fixture.BootstrapServers);
        var produced = 0;
        return KafkaSource.TransactionalSource<string, string>(consumer, Subscription.ForTopics(input))
            .Select(message => ProducerMessage.Single(
                output,
                new Message<string, string> { Key = message.Record.Message.Key, Value = message.Record.Message.Value },
                message.PartitionOffset))
            .Via(KafkaProducer.TransactionalFlow<string, string>(producer, KafkaTestSettings.Transactional().WithCommitInterval(TimeSpan.FromSeconds(1)), transactionalId))
            .Select(result =>
            {
                if (++produced == failAfter)
                    throw new InvalidOperationException("injected failure before the transaction commits");
                return result;
            })
            .RunWith(Sink.Ignore<ProducerResults<string, string, PartitionOffset>>(), Sys.Materializer());
    }
}
