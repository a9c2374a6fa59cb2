using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Kafka;

[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class CommittableStreamTests(EmbeddedKafkaFixture fixture, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private const int Partitions = 8;

    private (Task<Akka.Done> Completion, ConsumerControl Control) RunPassThrough(string input, string outputTopic, string group, IMaterializer materializer, int perSecond = 1_000_000)
    {
        var consumer = KafkaTestSettings.Consumer(fixture.BootstrapServers, group);
        var producer = KafkaTestSettings.Producer(fixture.BootstrapServers);
        var (control, completion) = KafkaSource.CommittableSource<string, string>(consumer, Subscription.ForTopics(input))
            .Throttle(perSecond, TimeSpan.FromSeconds(1), perSecond, ThrottleMode.Shaping)
            .Select(message => ProducerMessage.Single<string, string, ICommittable>(
                outputTopic,
                new Message<string, string> { Key = message.Record.Message.Key, Value = message.Record.Message.Value },
                message.CommittableOffset))
            .ToMaterialized(KafkaProducer.CommittableSink<string, string>(producer, KafkaTestSettings.Committer().WithMaxInterval(TimeSpan.FromMilliseconds(200))), Keep.Both)
            .Run(materializer);
        return (completion, control);
    }

    [Fact]
    public async Task Drain_and_shutdown_commits_exactly_what_was_processed_and_restart_repeats_nothing()
    {
        var input = fixture.CreateTopic("drain-in", Partitions);
        var outputTopic = fixture.CreateTopic("drain-out", Partitions);
        var group = EmbeddedKafkaFixture.UniqueGroup("drain");
        fixture.Produce(input, 20_000);

        var materializer = Sys.Materializer();
        var (completion, control) = RunPassThrough(input, outputTopic, group, materializer, perSecond: 5_000);
        await AwaitConditionAsync(() => Task.FromResult(control.Metrics.ConsumedRecords >= 5_000), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));
        await control.DrainAndShutdown(completion).WaitAsync(TimeSpan.FromSeconds(30));

        var written = TopicReader.ReadAll(fixture.BootstrapServers, outputTopic, 1, TimeSpan.FromSeconds(30));
        var committed = TopicReader.CommittedTotal(fixture.BootstrapServers, group, input, Partitions);
        Assert.Equal(written.Count, committed);
        Assert.True(written.Count < 20_000, "the drain should have happened mid-stream");

        // Restart with the same group: the rest arrives, and nothing twice.
        var (completion2, control2) = RunPassThrough(input, outputTopic, group, materializer);
        await AwaitConditionAsync(() => Task.FromResult(TopicReader.CommittedTotal(fixture.BootstrapServers, group, input, Partitions) == 20_000), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
        await control2.DrainAndShutdown(completion2).WaitAsync(TimeSpan.FromSeconds(30));

        var all = TopicReader.ReadAll(fixture.BootstrapServers, outputTopic, 20_000, TimeSpan.FromSeconds(30));
        Assert.Equal(20_000, all.Count);
        Assert.Equal(20_000, all.Select(r => r.Message.Value).Distinct().Count());
    }
}
