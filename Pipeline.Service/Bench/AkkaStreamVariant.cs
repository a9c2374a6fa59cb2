using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Service.Bench;

/// <summary>
/// Variant (b), the pipeline's own connector: committable source -> producer flow with the offset as
/// context -> batched committer, the shape every stage of the pipeline has.
/// </summary>
internal sealed class AkkaStreamVariant(BenchClients clients, IMaterializer materializer) : IBenchVariant
{
    public string Id => "b";

    public string Description => "Akka.Streams connector";

    public RunningVariant Start(string input, string output, string groupId, SteadyStateClock clock)
    {
        var (control, completion) = KafkaSource.CommittableSource<string, string>(clients.Consumer.WithGroupId(groupId), Subscription.ForTopics(input))
            .Select(message =>
            {
                clock.MarkRecord();
                var record = message.Record.Message;
                return ProducerMessage.Single<string, string, ICommittable>(
                    output,
                    new Message<string, string> { Key = record.Key, Value = BenchRecords.Transform(record.Value), Timestamp = record.Timestamp },
                    message.CommittableOffset);
            })
            .Via(KafkaProducer.FlowWithContext<string, string, ICommittable>(clients.Producer))
            .ToMaterialized(KafkaCommitter.Sink(clients.Committer), Keep.Both)
            .Run(materializer);
        return new RunningVariant(completion, () => control.DrainAndShutdown(completion));
    }
}
