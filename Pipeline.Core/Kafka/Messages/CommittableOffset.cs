using Confluent.Kafka;

namespace Pipeline.Core.Kafka.Messages;

/// <summary>The position of one consumed record, committable through the consumer that read it.</summary>
public sealed class CommittableOffset : ICommittable
{
    internal CommittableOffset(TopicPartitionOffset offset, string groupId, ICommitter committer)
    {
        Offset = offset;
        GroupId = groupId;
        Committer = committer;
    }

    /// <summary>The consumed record's own offset (the commit stores the next one, offset + 1).</summary>
    public TopicPartitionOffset Offset { get; }

    public string GroupId { get; }

    internal ICommitter Committer { get; }

    public long BatchSize => 1;

    public Task CommitAsync() => CommittableOffsetBatch.Empty.Updated(this).CommitAsync();

    public override string ToString() => $"{GroupId}@{Offset}";
}
