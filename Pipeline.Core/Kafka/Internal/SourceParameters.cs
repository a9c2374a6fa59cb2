using Confluent.Kafka;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Core.Kafka.Internal;

/// <summary>What every Kafka source stage needs to start its consumer.</summary>
internal sealed record SourceParameters<TKey, TValue>(
    ConsumerSettings Settings,
    Subscription Subscription,
    IDeserializer<TKey>? KeyDeserializer,
    IDeserializer<TValue>? ValueDeserializer)
{
    public ConsumerPump<TKey, TValue> CreatePump(Func<TopicPartition, RecordQueue<PolledRecord<TKey, TValue>>> queueFor) =>
        new(Settings, Subscription, KeyDeserializer, ValueDeserializer, queueFor);
}
