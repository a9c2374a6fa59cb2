using System.Security.Cryptography;

namespace Pipeline.Core.Storage;

/// <summary>
/// A row offered to the store whose key (table, customer, event time, id) was already stored with other content: the
/// store kept the stored row and left <see cref="Offered"/> unwritten. An exact repeat of a stored row is no conflict.
/// </summary>
/// <param name="Offered">The row of the batch that was not written (the same instance the caller passed).</param>
/// <param name="StoredKind">The kind of the row the store holds under that key.</param>
/// <param name="StoredPayload">The payload of the row the store holds under that key.</param>
public sealed record HistoryConflict(HistoryRow Offered, string StoredKind, byte[] StoredPayload)
{
    /// <summary>The SHA-256 of the stored payload, in lower-case hex: names the stored content without carrying it.</summary>
    public string StoredSha256 => Convert.ToHexStringLower(SHA256.HashData(StoredPayload));
}
