using Confluent.Kafka;

namespace Pipeline.Core.Kafka.Messages;

/// <summary>A consumed record together with the offset to commit once everything it caused is acknowledged.</summary>
public sealed record CommittableMessage<TKey, TValue>(ConsumeResult<TKey, TValue> Record, CommittableOffset CommittableOffset);
