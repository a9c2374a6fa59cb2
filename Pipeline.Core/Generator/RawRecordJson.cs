using System.Globalization;
using System.Text.Json;

namespace Pipeline.Core.Generator;

/// <summary>Writes a transaction in the raw JSON contract of <c>transactions.raw</c>.</summary>
internal static class RawRecordJson
{
    public static byte[] Write(string transactionId, string customerId, TransactionDraft draft)
    {
        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("transactionId", transactionId);
            json.WriteString("customerId", customerId);
            json.WriteString("merchant", draft.Merchant);
            json.WriteString("category", draft.Category);
            json.WriteString("amount", MajorUnits(draft.AmountMinor));
            json.WriteString("tip", MajorUnits(draft.TipMinor));
            json.WriteString("currency", "EUR");
            json.WriteString("timestamp", draft.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Cents as a decimal string with two decimals, e.g. 1299 as "12.99".</summary>
    public static string MajorUnits(long minor) =>
        (minor / 100m).ToString("0.00", CultureInfo.InvariantCulture);
}
