namespace Pipeline.Core.Kafka.Messages;

/// <summary>Something whose offsets can be committed: one offset or a batch of them.</summary>
public interface ICommittable
{
    /// <summary>Commits to Kafka and completes when the broker acknowledged the commit.</summary>
    Task CommitAsync();

    /// <summary>How many consumed records this stands for.</summary>
    long BatchSize { get; }
}
