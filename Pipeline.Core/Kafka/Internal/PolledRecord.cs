using Confluent.Kafka;

namespace Pipeline.Core.Kafka.Internal;

/// <summary>A record taken from Kafka, tagged with the partition assignment it was read under.</summary>
internal readonly record struct PolledRecord<TKey, TValue>(ConsumeResult<TKey, TValue> Result, PartitionState<PolledRecord<TKey, TValue>> State);
