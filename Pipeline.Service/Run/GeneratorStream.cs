using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Generator;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Service.Run;

/// <summary>The built-in load: the generator's records, paced at the configured rate, written to the raw topic.</summary>
internal static class GeneratorStream
{
    public static (UniqueKillSwitch KillSwitch, Task Completion) Run(
        GeneratorSettings settings, string topic, ProducerSettings producer, RunStatistics statistics, IMaterializer materializer)
    {
        var records = TransactionGenerator.Create(settings).Records();
        return Source.From(records)
            .Throttle(settings.Rate, TimeSpan.FromSeconds(1), Math.Max(1, settings.Rate / 10), ThrottleMode.Shaping)
            .ViaMaterialized(KillSwitches.Single<GeneratedRecord>(), Keep.Right)
            // The Kafka timestamp is the wall clock at sending: latency is measured from it.
            .Select(record => (topic, new Message<string, byte[]> { Key = record.Key, Value = record.Value, Timestamp = new Timestamp(DateTime.UtcNow) }))
            .WireTap(_ => statistics.OnGenerated())
            .ToMaterialized(KafkaProducer.Sink<string, byte[]>(producer), Keep.Both)
            .Run(materializer);
    }
}
