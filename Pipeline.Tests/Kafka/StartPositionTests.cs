using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Kafka;

[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class StartPositionTests(EmbeddedKafkaFixture fixture) : Akka.TestKit.Xunit2.TestKit
{
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private string TopicWithHourlyRecords(int hours)
    {
        var topic = fixture.CreateTopic("seek", 1);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers }).Build();
        for (var h = 0; h < hours; h++)
            producer.Produce(topic, new Message<string, string> { Key = "k", Value = h.ToString(System.Globalization.CultureInfo.InvariantCulture), Timestamp = new Timestamp(Epoch.AddHours(h)) });
        producer.Flush(TimeSpan.FromSeconds(10));
        return topic;
    }

    private async Task<List<string>> Read(string topic, string group, StartPosition start, int count)
    {
        var settings = KafkaTestSettings.Consumer(fixture.BootstrapServers, group);
        return (await KafkaSource.PlainSource<string, string>(settings, Subscription.ForTopics(topic).WithStart(start))
            .Select(r => r.Message.Value).Take(count)
            .RunWith(Sink.Seq<string>(), Sys.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(30))).ToList();
    }

    [Fact]
    public async Task From_a_timestamp_starts_at_the_first_record_at_or_after_it()
    {
        var topic = TopicWithHourlyRecords(10);
        var values = await Read(topic, EmbeddedKafkaFixture.UniqueGroup("seek-time"), StartPosition.FromTime(Epoch.AddHours(6).AddMinutes(-30)), 4);
        Assert.Equal(["6", "7", "8", "9"], values);
    }

    [Fact]
    public async Task From_the_beginning_ignores_the_committed_offset()
    {
        var topic = TopicWithHourlyRecords(5);
        var group = EmbeddedKafkaFixture.UniqueGroup("seek-begin");
        using (var committer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = fixture.BootstrapServers, GroupId = group }).Build())
            committer.Commit([new TopicPartitionOffset(topic, 0, 3)]);

        Assert.Equal(["3", "4"], await Read(topic, group, StartPosition.Committed, 2));
        Assert.Equal(["0", "1", "2"], await Read(topic, group, StartPosition.Beginning, 3));
    }
}
