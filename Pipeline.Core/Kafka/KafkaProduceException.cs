using Confluent.Kafka;

namespace Pipeline.Core.Kafka;

/// <summary>Kafka refused or failed to acknowledge a produced record; the producer stage fails rather than continue past it.</summary>
public sealed class KafkaProduceException(string message, Error error, Exception? inner = null) : Exception(message, inner)
{
    public Error Error { get; } = error;

    /// <summary>The pass-through of the envelope whose record failed, so the stream can tell which input it failed on.</summary>
    public object? PassThrough { get; init; }

    /// <summary>
    /// Whether the refusal is about the record itself (too large, not serialisable, refused by a topic policy or for its
    /// timestamp), so sending it again would fail again, rather than about the broker or the network.
    /// </summary>
    public bool IsAboutRecord => Error.Code is ErrorCode.MsgSizeTooLarge or ErrorCode.InvalidMsgSize or ErrorCode.InvalidMsg
        or ErrorCode.InvalidRecord or ErrorCode.RecordListTooLarge or ErrorCode.PolicyViolation or ErrorCode.InvalidTimestamp
        or ErrorCode.Local_KeySerialization or ErrorCode.Local_ValueSerialization;
}
