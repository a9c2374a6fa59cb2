using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Kafka;

/// <remarks>
/// The only broker on this machine is librdkafka's mock cluster. It runs the transaction protocol
/// (InitTransactions, fencing, commit and abort markers) but, measured: it accepts TxnOffsetCommit without
/// storing the offsets, and it does not tell read_committed consumers which records were aborted, so they
/// see aborted records too. What read_committed consumers would see on a real broker therefore cannot be
/// observed here. This test checks what can be: the failure is injected inside the first transaction
/// (so "restart from the committed offsets" means "from the start" on any broker), the open transaction is
/// ended with a marker rather than committed, and the restarted flow (fencing the failed producer through
/// the same transactional id) delivers every input in committed transactions.
/// </remarks>
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

        // First run: the transaction stays open (its interval is far longer than the run) and the stream
        // fails once 3,000 records are produced in it.
        var failing = Run(input, outputTopic, group, transactionalId, TimeSpan.FromMinutes(5), failAfter: 3_000);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal("injected failure before the transaction commits", failure.Message);
        // The log holds the records sent in the open transaction (3,000 and those still in flight) and the
        // control records (transaction markers) that ended it: offsets a consumer never returns as records.
        // Nothing else writes to this topic, so a control record here can only be the abort marker. The abort
        // completes in the failed stage's PostStop, so wait for the log to settle.
        var aborted = 0;
        await AwaitConditionAsync(() =>
        {
            aborted = TopicReader.ReadAll(fixture.BootstrapServers, outputTopic, 3_000, TimeSpan.FromSeconds(30)).Count;
            return Task.FromResult(TopicReader.EndOffsetsTotal(fixture.BootstrapServers, outputTopic, Partitions) > aborted);
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        Assert.True(aborted >= 3_000, $"only {aborted} records of the failed transaction in the log");

        // Restart under the same transactional id (fencing the failed producer) and run to the end.
        var completing = Run(input, outputTopic, group, transactionalId, TimeSpan.FromMilliseconds(500), failAfter: int.MaxValue);
        var outputs = TopicReader.ReadAll(fixture.BootstrapServers, outputTopic, Records + aborted, TimeSpan.FromSeconds(90), IsolationLevel.ReadCommitted);
        Assert.False(completing.IsFaulted, completing.Exception?.GetBaseException().Message);
        Assert.Equal(Records, outputs.Select(r => r.Message.Value).Distinct().Count());
        // Besides the aborted records, each input was written once: the restarted flow produced nothing twice.
        Assert.Equal(Records + aborted, outputs.Count);
    }

    private Task Run(string input, string output, string group, string transactionalId, TimeSpan commitInterval, int failAfter)
    {
        var consumer = KafkaTestSettings.Consumer(fixture.BootstrapServers, group);
        var producer = KafkaTestSettings.Producer(fixture.BootstrapServers);
        var produced = 0;
        return KafkaSource.TransactionalSource<string, string>(consumer, Subscription.ForTopics(input))
            .Select(message => ProducerMessage.Single(
                output,
                new Message<string, string> { Key = message.Record.Message.Key, Value = message.Record.Message.Value },
                message.PartitionOffset))
            .Via(KafkaProducer.TransactionalFlow<string, string>(producer, KafkaTestSettings.Transactional().WithCommitInterval(commitInterval), transactionalId))
            .Select(result =>
            {
                if (++produced == failAfter)
                    throw new InvalidOperationException("injected failure before the transaction commits");
                return result;
            })
            .RunWith(Sink.Ignore<ProducerResults<string, string, PartitionOffset>>(), Sys.Materializer());
    }
}
