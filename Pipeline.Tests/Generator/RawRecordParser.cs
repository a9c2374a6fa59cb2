using System.Globalization;
using System.Text.Json;
using Pipeline.Core.UseCases;

namespace Pipeline.Tests.Generator;

/// <summary>
/// Reads a generated raw JSON record into the use-case domain record, so tests feed the use cases
/// exactly what the generator wrote. (The service's own validation and normalisation live upstream.)
/// </summary>
internal static class RawRecordParser
{
    public static CardTransaction Parse(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new CardTransaction(
            root.GetProperty("transactionId").GetString()!,
            root.GetProperty("customerId").GetString()!,
            root.GetProperty("merchant").GetString()!,
            root.GetProperty("category").GetString()!,
            Minor(root.GetProperty("amount").GetString()!),
            Minor(root.GetProperty("tip").GetString()!),
            root.GetProperty("currency").GetString()!,
            DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
    }

    private static long Minor(string major) => (long)(decimal.Parse(major, CultureInfo.InvariantCulture) * 100);
}
