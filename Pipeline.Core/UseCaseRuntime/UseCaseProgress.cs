using Confluent.Kafka;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>What a use case's stream reports after each input is done (outputs acknowledged, offset ready to commit).</summary>
/// <param name="Position">The input's topic, partition and offset.</param>
/// <param name="Timestamp">The input's Kafka timestamp.</param>
/// <param name="Evaluated">Whether the entity evaluated it (false: undecodable, or outside the stream's bounds).</param>
/// <param name="Findings">The feedback records sent for it, one per variant that reported.</param>
public sealed record UseCaseProgress(TopicPartitionOffset Position, Timestamp Timestamp, bool Evaluated, IReadOnlyList<UseCaseFeedback> Findings)
{
    /// <summary>Feedback records sent for it.</summary>
    public int Feedback => Findings.Count;

    /// <summary>Time since the input's Kafka timestamp (the raw record's, so it is the latency from ingestion).</summary>
    public TimeSpan Latency => DateTime.UtcNow - Timestamp.UtcDateTime;
}
