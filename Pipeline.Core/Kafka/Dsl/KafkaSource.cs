using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Internal;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Core.Kafka.Stages;

namespace Pipeline.Core.Kafka.Dsl;

/// <summary>
/// Sources reading Kafka on demand. Each materializes a <see cref="ConsumerControl"/>. Deserializers are
/// optional (Confluent's defaults for the types are used otherwise); a record that fails to deserialise
/// fails the source with <see cref="KafkaRecordDeserializationException"/>.
/// </summary>
public static class KafkaSource
{
    /// <summary>Records without offset tracking; nothing is committed (auto-commit is off).</summary>
    public static Source<ConsumeResult<TKey, TValue>, ConsumerControl> PlainSource<TKey, TValue>(
        ConsumerSettings settings, Subscription subscription,
        IDeserializer<TKey>? keyDeserializer = null, IDeserializer<TValue>? valueDeserializer = null) =>
        Source.FromGraph(new KafkaSourceStage<TKey, TValue, ConsumeResult<TKey, TValue>>(
            $"kafka-plain-source {subscription}",
            new SourceParameters<TKey, TValue>(settings, subscription, keyDeserializer, valueDeserializer),
            (record, _) => record.Result));

    /// <summary>Records carrying the offset to commit (through <see cref="KafkaCommitter"/>) once their outputs are acknowledged.</summary>
    public static Source<CommittableMessage<TKey, TValue>, ConsumerControl> CommittableSource<TKey, TValue>(
        ConsumerSettings settings, Subscription subscription,
        IDeserializer<TKey>? keyDeserializer = null, IDeserializer<TValue>? valueDeserializer = null) =>
        Source.FromGraph(new KafkaSourceStage<TKey, TValue, CommittableMessage<TKey, TValue>>(
            $"kafka-committable-source {subscription}",
            new SourceParameters<TKey, TValue>(settings, subscription, keyDeserializer, valueDeserializer),
            Committable));

    /// <summary>
    /// One sub-source per assigned partition, emitted on assignment and completed on revocation, so each
    /// partition can be processed (and backpressured) on its own.
    /// </summary>
    internal static Source<(TopicPartition Partition, Source<CommittableMessage<TKey, TValue>, NotUsed> Records), ConsumerControl> CommittablePartitionedSource<TKey, TValue>(
        ConsumerSettings settings, Subscription subscription,
        IDeserializer<TKey>? keyDeserializer = null, IDeserializer<TValue>? valueDeserializer = null) =>
        Source.FromGraph(new PartitionedSourceStage<TKey, TValue, CommittableMessage<TKey, TValue>>(
            new SourceParameters<TKey, TValue>(settings, subscription, keyDeserializer, valueDeserializer),
            Committable));

    /// <summary>
    /// Records for <see cref="KafkaProducer.TransactionalFlow{TKey,TValue}"/>: read with read_committed isolation,
    /// their offsets committed inside the producer's transaction (exactly-once Kafka to Kafka).
    /// </summary>
    internal static Source<TransactionalMessage<TKey, TValue>, ConsumerControl> TransactionalSource<TKey, TValue>(
        ConsumerSettings settings, Subscription subscription,
        IDeserializer<TKey>? keyDeserializer = null, IDeserializer<TValue>? valueDeserializer = null) =>
        Source.FromGraph(new KafkaSourceStage<TKey, TValue, TransactionalMessage<TKey, TValue>>(
            $"kafka-transactional-source {subscription}",
            new SourceParameters<TKey, TValue>(settings.WithProperty("isolation.level", "read_committed"), subscription, keyDeserializer, valueDeserializer),
            (record, pump) => new TransactionalMessage<TKey, TValue>(record.Result, new PartitionOffset(record.Result.TopicPartitionOffset, pump))));

    private static CommittableMessage<TKey, TValue> Committable<TKey, TValue>(PolledRecord<TKey, TValue> record, ConsumerPump<TKey, TValue> pump) =>
        new(record.Result, new CommittableOffset(record.Result.TopicPartitionOffset, pump.GroupId, pump));
}
