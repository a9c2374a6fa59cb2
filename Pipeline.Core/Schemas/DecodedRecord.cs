using Pipeline.Core.DeadLetters;
using Pipeline.Core.Kafka.Messages;

namespace Pipeline.Core.Schemas;

/// <summary>
/// One input of an Avro-reading stage after decoding: either its value, or the rejection whose dead letter Kafka
/// has already acknowledged. Both carry the input's offset, so the stage commits every input in order.
/// </summary>
/// <param name="Message">The consumed record and its offset.</param>
/// <param name="Value">The decoded value, when the input was valid.</param>
/// <param name="Rejection">Why the input went to the dead letters, when it did.</param>
public sealed record DecodedRecord<T>(CommittableMessage<byte[]?, byte[]?> Message, T? Value, Rejection? Rejection) where T : class
{
    /// <summary>The input's offset, to commit once whatever the stage does with <see cref="Value"/> is acknowledged.</summary>
    public CommittableOffset Offset => Message.CommittableOffset;

    /// <summary>Whether the input went to the dead letters (there is no value to process).</summary>
    public bool IsDeadLettered => Value is null;
}
