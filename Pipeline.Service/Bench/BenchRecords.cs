using System.Globalization;

namespace Pipeline.Service.Bench;

/// <summary>
/// The records every variant reads, and the one transform they all apply. Records are raw transactions
/// as external producers write them (about 200 bytes of JSON, keyed by customer id), so the transform
/// costs what a light per-record step costs and batches compress as real ones do.
/// </summary>
internal static class BenchRecords
{
    private static readonly string[] Merchants = ["Netflix", "Lidl", "Shell", "Zalando", "Lufthansa", "MediaMarkt", "Vapiano", "Amazon"];
    private static readonly string[] Categories = ["subscription", "grocery", "fuel", "retail", "travel", "electronics", "restaurant", "other"];

    // Enough customers that key hashing spreads records evenly over the partitions.
    private const int Customers = 10_000;

    public static string Key(long n) => $"c-{n % Customers:D6}";

    public static string Value(long n)
    {
        var kind = (int)(n % Merchants.Length);
        var amount = (n % Customers * 7919 % 100_000) / 100m; // a customer's recurring amount
        var time = new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(n * 37);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"transactionId\":\"t-{n:D8}\",\"customerId\":\"{Key(n)}\",\"merchant\":\"{Merchants[kind]}\",\"category\":\"{Categories[kind]}\"," +
            $"\"amount\":\"{amount:F2}\",\"tip\":\"0.00\",\"currency\":\"EUR\",\"timestamp\":\"{time:yyyy-MM-ddTHH:mm:ss.fffZ}\"}}");
    }

    /// <summary>The per-record work of every variant: a stateless map of the value (Kafka Streams' mapValues).</summary>
    public static string Transform(string value) => value.ToUpperInvariant();
}
