using System.Globalization;
using System.Text;
using FsCheck.Xunit;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Upstream;

namespace Pipeline.Tests.Upstream;

/// <summary>Properties of the parser over generated input: it never throws and always answers with a record or a reason.</summary>
public sealed class RawTransactionParserPropertyTests
{
    private const int Inputs = 100_000;
    private const long MaxAmountMinor = 100_000_000; // the shipped pipeline.upstream.max-amount-minor

    private static readonly string[] JsonValues =
    [
        "null", "true", "0", "-1", "1e309", "12.99", "\"\"", "\"12.99\"", "\"-0.01\"", "\"NaN\"", "[]", "{}", "[[[[[[]]]]]]",
        "\"\\u0000\"", "\"\\ud83d\"", "\"\\ud83d\\ude00\"", "\"EUR\"", "\"grocery\"", "\"1970-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59Z\"",
        "\"0.001\"", "\"100000000000000000000000000000\"", "\"\u00e9\u4e2d\"", "\"" + new string('x', 300) + "\""
    ];

    [Fact]
    public void Every_generated_input_is_either_a_valid_transaction_or_a_rejection_with_a_reason_and_none_throws()
    {
        var random = new Random(20261124);
        var reasons = new Dictionary<RejectionReason, int>();
        var accepted = 0;

        for (var i = 0; i < Inputs; i++)
        {
            var input = Generate(random);
            ParseResult<Contracts.Transaction> result;
            try
            {
                result = RawTransactionParserTests.Parser.Parse(input);
            }
            catch (Exception e)
            {
                Assert.Fail($"input #{i} ({Convert.ToBase64String(input)}) threw {e}");
                return;
            }

            if (result.IsAccepted)
            {
                accepted++;
                Assert.Null(result.Rejection);
                AssertValid(result.Value!, i);
            }
            else
            {
                Assert.NotNull(result.Rejection);
                Assert.True(Enum.IsDefined(result.Rejection!.Reason), $"input #{i}: undefined reason");
                Assert.False(string.IsNullOrWhiteSpace(result.Rejection.Message), $"input #{i}: empty message");
                reasons[result.Rejection.Reason] = reasons.GetValueOrDefault(result.Rejection.Reason) + 1;
            }
        }

        // The generator reaches deep into the parser, not only its first checks.
        Assert.True(accepted > 1_000, $"only {accepted} generated inputs were valid");
        Assert.True(reasons.Count >= 12, "reasons seen: " + string.Join(", ", reasons.Select(r => $"{r.Key.Code()}={r.Value}")));
    }

    [Property(MaxTest = 2_000)]
    public bool Any_amount_in_major_units_with_two_decimals_becomes_exactly_its_minor_units(uint seed)
    {
        var minor = seed % (MaxAmountMinor + 1);
        var major = (minor / 100).ToString(CultureInfo.InvariantCulture) + "." + (minor % 100).ToString("00", CultureInfo.InvariantCulture);
        var json = RawTransactionParserTests.Valid.Replace("\"12.99\"", $"\"{major}\"", StringComparison.Ordinal);
        return RawTransactionParserTests.Parser.Parse(Encoding.UTF8.GetBytes(json)).Value?.amountMinor == minor;
    }

    private static void AssertValid(Contracts.Transaction t, int index)
    {
        Assert.True(t.amountMinor is >= 0 and <= MaxAmountMinor, $"input #{index}: amount {t.amountMinor}");
        Assert.True(t.tipMinor is >= 0 and <= MaxAmountMinor, $"input #{index}: tip {t.tipMinor}");
        Assert.Contains(t.category, TransactionCategories.All);
        Assert.Matches("^[A-Z]{3}$", t.currency);
        Assert.True(t.timestamp >= DateTime.UnixEpoch && t.timestamp.Kind == DateTimeKind.Utc, $"input #{index}: timestamp {t.timestamp:O}");
        foreach (var text in new[] { t.transactionId, t.customerId, t.merchant })
            Assert.False(string.IsNullOrWhiteSpace(text) || text.Any(char.IsControl), $"input #{index}: text field '{text}'");
    }

    private static byte[] Generate(Random random) => random.Next(10) switch
    {
        0 => RandomBytes(random, random.Next(0, 300)),
        1 => Encoding.UTF8.GetBytes(RandomJsonValue(random)),
        _ => Mutate(random, Encoding.UTF8.GetBytes(ValidRecord(random)))
    };

    private static string ValidRecord(Random random)
    {
        var categories = TransactionCategories.All.ToArray();
        var minor = random.NextInt64(0, MaxAmountMinor + 1);
        var at = DateTime.UnixEpoch.AddMilliseconds(random.NextInt64(0, 1_790_000_000_000));
        return "{" +
               $"\"transactionId\":\"t-{random.Next():D8}\",\"customerId\":\"c-{random.Next(1000):D6}\",\"merchant\":\"M{random.Next(50)}\"," +
               $"\"category\":\"{categories[random.Next(categories.Length)]}\",\"amount\":\"{minor / 100}.{minor % 100:00}\"," +
               $"\"tip\":\"{random.Next(500) / 100}.{random.Next(100):00}\",\"currency\":\"EUR\",\"timestamp\":\"{at:yyyy-MM-dd'T'HH:mm:ss.fff}Z\"" +
               "}";
    }

    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = new List<byte>(valid);
        var mutations = random.Next(0, 4); // 0 keeps the record valid
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 20))); break;
                case 2: bytes.InsertRange(at, RandomBytes(random, random.Next(1, 8))); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break;
                case 4: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(bytes.Count - at, random.Next(1, 40)))); break;
                default: return ReplaceValue(random, Encoding.UTF8.GetString(valid));
            }
        }
        return bytes.ToArray();
    }

    private static byte[] ReplaceValue(Random random, string json)
    {
        var fields = new[] { "transactionId", "customerId", "merchant", "category", "amount", "tip", "currency", "timestamp" };
        var field = fields[random.Next(fields.Length)];
        var replaced = System.Text.RegularExpressions.Regex.Replace(json, $"\"{field}\":\"[^\"]*\"", $"\"{field}\":{RandomJsonValue(random)}");
        return Encoding.UTF8.GetBytes(replaced);
    }

    private static string RandomJsonValue(Random random) => JsonValues[random.Next(JsonValues.Length)];

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
