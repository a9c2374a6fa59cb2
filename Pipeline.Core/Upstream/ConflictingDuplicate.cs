using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Upstream;

/// <summary>
/// The dead letter of a record whose transaction id the store already holds, for the same customer and event time, with
/// other content: the stored record stays the truth, this one is neither stored nor produced.
/// </summary>
public static class ConflictingDuplicate
{
    /// <summary>SHA-256 (hex) of the stored record's Avro bytes.</summary>
    public const string StoredSha256Header = "conflict.stored.sha256";
    /// <summary>SHA-256 (hex) of the Avro bytes this record would have had.</summary>
    public const string OfferedSha256Header = "conflict.offered.sha256";

    /// <summary>Why the record is refused, naming the id, the stored and offered content's hashes and what happens to each.</summary>
    public static Rejection Rejection(HistoryConflict conflict) => new(RejectionReason.ConflictingDuplicate,
        (
            FormattableString.Invariant($"Transaction id '{conflict.Offered.Id}' of customer '{conflict.Offered.CustomerId}' at {conflict.Offered.EventTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} ") +
            FormattableString.Invariant($"is already stored with different content (stored SHA-256 {conflict.StoredSha256}, this record's {Sha256(conflict.Offered.Payload)}). ") +
            "The stored record stays and this one was not produced; if both are real charges, the producer must give this one its own id."));

    /// <summary>The dead letter of <paramref name="record"/>: the usual reason and position headers, plus both contents' hashes.</summary>
    public static Message<byte[]?, byte[]?> DeadLetter(
        ConsumeResult<byte[]?, byte[]?> record, HistoryConflict conflict, string stage, DeadLetterSettings settings)
    {
        var message = DeadLetters.DeadLetter.Create(record, Rejection(conflict), stage, settings);
        message.Headers.Add(StoredSha256Header, Encoding.UTF8.GetBytes(conflict.StoredSha256));
        message.Headers.Add(OfferedSha256Header, Encoding.UTF8.GetBytes(Sha256(conflict.Offered.Payload)));
        return message;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
