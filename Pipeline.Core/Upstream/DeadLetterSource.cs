namespace Pipeline.Core.Upstream;

/// <summary>Where a rejected record was read: topic, partition and offset.</summary>
public sealed record DeadLetterSource(string Topic, int Partition, long Offset);
