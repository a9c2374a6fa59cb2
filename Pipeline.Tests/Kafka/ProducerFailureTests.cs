using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.DevelopmentInfrastructure.Kafka;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Kafka;

public sealed class ProducerFailureTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public async Task A_record_Kafka_never_acknowledges_fails_the_flow_and_nothing_after_it_is_emitted()
    {
        // A cluster of its own whose only broker goes away: deliveries time out.
        using var kafka = EmbeddedKafka.Start(new EmbeddedKafkaSettings(1, TimeSpan.FromMilliseconds(100)));
        kafka.CreateTopic("unacked", 1);
        var settings = KafkaTestSettings.Producer(kafka.BootstrapServers)
            .WithProperty("message.timeout.ms", "1500")
            .WithProperty("enable.idempotence", "false");
        kafka.SetBrokerDown(1);

        var emitted = new List<int>();
        var run = Source.From(Enumerable.Range(0, 5))
            .Select(i => ProducerMessage.Single("unacked", new Message<string, string> { Key = "k", Value = $"{i}" }, i))
            .Via(KafkaProducer.FlowWithContext<string, string, int>(settings))
            .RunForeach(emitted.Add, Sys.Materializer());

        var failure = await Assert.ThrowsAsync<KafkaProduceException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Kafka did not acknowledge a record for unacked", failure.Message);
        Assert.Empty(emitted);
    }
}
