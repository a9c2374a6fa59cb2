using Confluent.Kafka;
using Pipeline.Core.Kafka;

namespace Pipeline.Core.Hosting;

/// <summary>
/// A stream failed while processing one input record: the exception names the record's source position, so the stream's
/// <see cref="PoisonRecords"/> can count failures per record across restarts.
/// </summary>
public sealed class RecordFailedException(TopicPartitionOffset position, Exception cause)
    : Exception($"{cause.Message} (input record {position.Topic} [{position.Partition.Value}] @{position.Offset.Value})", cause)
{
    /// <summary>Where the record was read.</summary>
    public TopicPartitionOffset Position { get; } = position;

    /// <summary>
    /// A producer flow's failure as a failure on the input whose output Kafka refused, when the refusal is about that record
    /// (<see cref="KafkaProduceException.IsAboutRecord"/>); any other failure unchanged (the broker, not the record, is at fault).
    /// </summary>
    public static Func<Exception, Exception> OfProducer<TPass>(Func<TPass, TopicPartitionOffset> position) => failure =>
        failure is KafkaProduceException { IsAboutRecord: true, PassThrough: TPass pass } ? new RecordFailedException(position(pass), failure) : failure;
}
