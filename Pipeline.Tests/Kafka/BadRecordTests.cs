using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Kafka;

[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class BadRecordTests(EmbeddedKafkaFixture fixture) : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public async Task A_value_that_does_not_deserialise_fails_the_source_with_its_position_and_bytes()
    {
        var topic = fixture.CreateTopic("bad-record", 1);
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = "ok", Value = BitConverter.GetBytes(42).Reverse().ToArray() });
            await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = "bad", Value = [1, 2, 3] }); // not a 4-byte int
        }

        var settings = KafkaTestSettings.Consumer(fixture.BootstrapServers, EmbeddedKafkaFixture.UniqueGroup("bad-record"));
        var (control, records) = KafkaSource.PlainSource(settings, Subscription.ForTopics(topic), Deserializers.Utf8, Deserializers.Int32)
            .Select(record => record.Message.Value)
            .ToMaterialized(Sink.Seq<int>(), Keep.Both)
            .Run(Sys.Materializer());

        var failure = await Assert.ThrowsAsync<KafkaRecordDeserializationException>(() => records.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(new TopicPartitionOffset(topic, 0, 1), failure.Position);
        Assert.Equal([1, 2, 3], failure.RawValue);
        Assert.Contains("Could not deserialise the value", failure.Message);
        await control.IsShutdown.WaitAsync(TimeSpan.FromSeconds(30)); // the consumer closed cleanly, nothing crashed
    }
}
