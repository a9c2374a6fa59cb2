namespace Pipeline.Core.Kafka;

/// <summary>Committing offsets failed after retries; the stream stops so nothing is acknowledged that was not committed.</summary>
public sealed class KafkaCommitException(string message, Exception? inner = null) : Exception(message, inner);
