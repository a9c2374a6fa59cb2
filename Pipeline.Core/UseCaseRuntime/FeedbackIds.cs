using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>Deterministic feedback ids: the same use case, variant and transaction always give the same id.</summary>
public static class FeedbackIds
{
    /// <summary>The first 128 bits of SHA-256 over "useCase/variant/transactionId", in GUID form (fits a uuid column).</summary>
    public static string For(string useCase, string variant, string transactionId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{useCase}/{variant}/{transactionId}"), hash);
        return new Guid(hash[..16]).ToString("D");
    }
}
