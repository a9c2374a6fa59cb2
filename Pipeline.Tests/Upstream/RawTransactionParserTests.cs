using System.Text;
using Pipeline.Core.Configuration;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Upstream;

namespace Pipeline.Tests.Upstream;

/// <summary>Each kind of bad raw input is refused with its own reason; good input becomes a Transaction in minor units.</summary>
public sealed class RawTransactionParserTests
{
    internal const string Valid =
        """{"transactionId":"t-00000001","customerId":"c-000042","merchant":"Netflix","category":"subscription","amount":"12.99","tip":"0.50","currency":"EUR","timestamp":"2026-11-24T10:15:30.123Z"}""";

    internal static RawTransactionParser Parser { get; } =
        new(UpstreamSettings.Create(PipelineConfig.Defaults()).Limits, TimeProvider.System);

    private static ParseResult<Contracts.Transaction> Parse(string json) => Parser.Parse(Encoding.UTF8.GetBytes(json));

    private static string With(string field, string jsonValue) =>
        System.Text.RegularExpressions.Regex.Replace(Valid, $"\"{field}\":(\"[^\"]*\")", $"\"{field}\":{jsonValue}");

    private static string Without(string field) =>
        System.Text.RegularExpressions.Regex.Replace(Valid, $"\"{field}\":\"[^\"]*\",?", "").Replace(",}", "}", StringComparison.Ordinal);

    private static Rejection Rejected(string json)
    {
        var result = Parse(json);
        Assert.False(result.IsAccepted, $"expected a rejection for {json}");
        return result.Rejection!;
    }

    [Fact]
    public void A_valid_record_becomes_a_transaction_in_minor_units_with_a_utc_millisecond_timestamp()
    {
        var result = Parse(Valid);

        Assert.True(result.IsAccepted, result.Rejection?.ToString());
        var t = result.Value!;
        Assert.Equal(("t-00000001", "c-000042", "Netflix", "subscription", "EUR"), (t.transactionId, t.customerId, t.merchant, t.category, t.currency));
        Assert.Equal(1299L, t.amountMinor);
        Assert.Equal(50L, t.tipMinor);
        Assert.Equal(new DateTime(2026, 11, 24, 10, 15, 30, 123, DateTimeKind.Utc), t.timestamp);
        Assert.Equal(DateTimeKind.Utc, t.timestamp.Kind);
    }

    [Fact]
    public void An_absent_tip_is_zero_and_an_offset_timestamp_is_converted_to_utc()
    {
        var t = Parse(Without("tip").Replace("10:15:30.123Z", "12:15:30+02:00", StringComparison.Ordinal)).Value!;

        Assert.Equal(0L, t.tipMinor);
        Assert.Equal(new DateTime(2026, 11, 24, 10, 15, 30, DateTimeKind.Utc), t.timestamp);
    }

    [Fact]
    public void Oversized() =>
        Assert.Equal(RejectionReason.Oversized, Rejected(With("merchant", "\"" + new string('x', 20_000) + "\"")).Reason);

    [Fact]
    public void Invalid_utf8()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid);
        bytes[Valid.IndexOf("Netflix", StringComparison.Ordinal)] = 0xC3; // a lead byte without its continuation
        var result = Parser.Parse(bytes);
        Assert.Equal(RejectionReason.InvalidUtf8, result.Rejection!.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"transactionId\":")]
    [InlineData("not json at all")]
    [InlineData("{'transactionId':'t-1'}")]
    public void Not_json(string input) => Assert.Equal(RejectionReason.NotJson, Rejected(input).Reason);

    [Fact]
    public void Too_deep_nesting_is_not_json() =>
        Assert.Equal(RejectionReason.NotJson, Rejected(With("merchant", new string('[', 40) + new string(']', 40))).Reason);

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    public void Not_an_object(string input) => Assert.Equal(RejectionReason.NotAnObject, Rejected(input).Reason);

    [Fact]
    public void Duplicate_field() =>
        Assert.Equal(RejectionReason.DuplicateField, Rejected(Valid.Replace("{", "{\"amount\":\"1.00\",", StringComparison.Ordinal)).Reason);

    [Fact]
    public void Field_names_are_checked_afresh_for_every_record()
    {
        // The set of seen names is reused per thread: neither a rejected duplicate nor a record with very many fields
        // may leave names behind for the next record.
        Assert.Equal(RejectionReason.DuplicateField, Rejected(Valid.Replace("{", "{\"amount\":\"1.00\",", StringComparison.Ordinal)).Reason);
        Assert.NotNull(Parse(Valid).Value);
        var manyFields = string.Concat(Enumerable.Range(0, 200).Select(i => $"\"extra{i}\":{i},"));
        Assert.NotNull(Parse(Valid.Replace("{", "{" + manyFields, StringComparison.Ordinal)).Value);
        Assert.NotNull(Parse(Valid).Value);
        Assert.Equal(RejectionReason.DuplicateField, Rejected(Valid.Replace("{", "{\"extra7\":1,\"extra7\":2,", StringComparison.Ordinal)).Reason);
    }

    [Theory]
    [InlineData("transactionId")]
    [InlineData("customerId")]
    [InlineData("merchant")]
    [InlineData("category")]
    [InlineData("amount")]
    [InlineData("currency")]
    [InlineData("timestamp")]
    public void Missing_field(string field)
    {
        var rejection = Rejected(Without(field));
        Assert.Equal(RejectionReason.MissingField, rejection.Reason);
        Assert.Contains($"'{field}'", rejection.Message);
    }

    [Fact]
    public void Empty_field_counts_as_missing() => Assert.Equal(RejectionReason.MissingField, Rejected(With("customerId", "\"  \"")).Reason);

    [Theory]
    [InlineData("amount", "12.99")]
    [InlineData("customerId", "42")]
    [InlineData("merchant", "null")]
    [InlineData("timestamp", "1700000000000")]
    [InlineData("currency", "[\"EUR\"]")]
    public void Wrong_type(string field, string jsonValue)
    {
        var rejection = Rejected(With(field, jsonValue));
        Assert.Equal(RejectionReason.WrongType, rejection.Reason);
        Assert.Contains($"'{field}'", rejection.Message);
    }

    [Fact]
    public void Field_too_long_customer_id_of_ten_thousand_characters()
    {
        var rejection = Rejected(With("customerId", "\"" + new string('c', 10_000) + "\""));
        Assert.Equal(RejectionReason.FieldTooLong, rejection.Reason);
        Assert.Contains("max-field-length", rejection.Message);
    }

    [Theory]
    [InlineData("\"Net\\u0000flix\"")]
    [InlineData("\"Net\\r\\nX-Injected: 1\"")]
    [InlineData("\"\\ud800\"")]
    public void Invalid_text(string jsonValue) => Assert.Equal(RejectionReason.InvalidText, Rejected(With("merchant", jsonValue)).Reason);

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-1.00")]
    [InlineData("1e3")]
    [InlineData("12.999")]
    [InlineData("1000000.01")]
    [InlineData("99999999999999999999999999999999")]
    [InlineData("12,99")]
    public void Invalid_amount(string amount) => Assert.Equal(RejectionReason.InvalidAmount, Rejected(With("amount", $"\"{amount}\"")).Reason);

    [Fact]
    public void The_largest_allowed_amount_is_accepted() => Assert.Equal(100_000_000L, Parse(With("amount", "\"1000000.00\"")).Value!.amountMinor);

    [Theory]
    [InlineData("eur")]
    [InlineData("EURO")]
    [InlineData("E1R")]
    public void Invalid_currency(string currency) => Assert.Equal(RejectionReason.InvalidCurrency, Rejected(With("currency", $"\"{currency}\"")).Reason);

    [Fact]
    public void Invalid_category() => Assert.Equal(RejectionReason.InvalidCategory, Rejected(With("category", "\"casino\"")).Reason);

    [Theory]
    [InlineData("2999-01-01T00:00:00Z")]
    [InlineData("1969-12-31T23:59:59Z")]
    [InlineData("2026-11-24T10:15:30")]
    [InlineData("24/11/2026")]
    [InlineData("2026-13-01T00:00:00Z")]
    public void Invalid_timestamp(string timestamp) => Assert.Equal(RejectionReason.InvalidTimestamp, Rejected(With("timestamp", $"\"{timestamp}\"")).Reason);
}
