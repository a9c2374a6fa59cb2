using Confluent.Kafka;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>One input of a use case's evaluation (<see cref="UseCaseEvaluation"/>).</summary>
/// <param name="Transaction">The transaction to evaluate; null passes the input over (undecodable, or outside a replay's bounds).</param>
/// <param name="Origin">Where it came from: its bytes for a dead letter, and the timestamp its feedback carries.</param>
/// <param name="PassThrough">What the caller gets back once the input's outputs are acknowledged (an offset to commit).</param>
public sealed record UseCaseInput<TPass>(CardTransaction? Transaction, UseCaseInputOrigin Origin, TPass PassThrough);

/// <summary>
/// The stored form of an input: its key, Avro value and headers (a variant that throws sends them to the dead letters with
/// <see cref="Source"/>), and its Kafka timestamp, which its feedback carries on so downstream measures latency from ingestion.
/// </summary>
public sealed record UseCaseInputOrigin(byte[]? Key, byte[]? Value, Headers? Headers, DeadLetterSource Source, Timestamp Timestamp)
{
    /// <summary>The origin of a record consumed from Kafka.</summary>
    public static UseCaseInputOrigin Of(ConsumeResult<byte[]?, byte[]?> record) => new(
        record.Message.Key, record.Message.Value, record.Message.Headers,
        new DeadLetterSource(record.Topic, record.Partition.Value, record.Offset.Value), record.Message.Timestamp);
}
