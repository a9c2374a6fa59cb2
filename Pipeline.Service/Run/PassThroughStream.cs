using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Service.Run;

/// <summary>
/// Raw topic -> transactions topic, record by record: each offset is committed only after its output
/// is acknowledged, and the latency from the input's timestamp to that acknowledgement is recorded.
/// </summary>
internal static class PassThroughStream
{
    public const string Name = "passthrough";

    public static (ConsumerControl Control, Task<Done> Completion) Run(RunSettings settings, RunStatistics statistics, IMaterializer materializer)
    {
        var consumer = settings.Consumer.WithGroupId(settings.PassThroughGroupId);
        return KafkaSource.CommittableSource<string, byte[]>(consumer, Subscription.ForTopics(settings.Topics.Raw))
            .Select(message => ProducerMessage.Single<string, byte[], CommittableMessage<string, byte[]>>(
                settings.Topics.Transactions,
                new Message<string, byte[]> { Key = message.Record.Message.Key, Value = message.Record.Message.Value },
                message))
            .Via(KafkaProducer.FlowWithContext<string, byte[], CommittableMessage<string, byte[]>>(settings.Producer))
            .Select(ICommittable (message) =>
            {
                statistics.OnProcessed(Name, DateTime.UtcNow - message.Record.Message.Timestamp.UtcDateTime);
                return message.CommittableOffset;
            })
            .ToMaterialized(KafkaCommitter.Sink(settings.Committer), Keep.Both)
            .Run(materializer);
    }
}
