using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Pipeline.Contracts;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Storage;

namespace Pipeline.Core.Upstream;

/// <summary>
/// Turns one raw JSON record of the raw topic into a <see cref="Transaction"/> or a <see cref="Rejection"/>.
/// Pure: no I/O, no exception for any input; the clock is only read to refuse timestamps from the future, and the
/// stream time (when given) to refuse timestamps older than <see cref="UpstreamLimits.MaxEventAge"/> behind it.
/// Amounts are decimal strings in major units with at most two decimals (<c>"12.99"</c>) and become minor units;
/// <c>tip</c> may be absent (no tip). Unknown fields are ignored, so producers can add fields first.
/// </summary>
public sealed class RawTransactionParser(UpstreamLimits limits, TimeProvider clock, StreamTime? streamTime = null)
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz"
    ];

    private readonly JsonDocumentOptions _jsonOptions = new() { MaxDepth = limits.MaxJsonDepth };

    // The field names of the record being read, to refuse duplicates: one set per thread (records are parsed on several
    // threads at once), cleared per record instead of a new set and its arrays for every record.
    [ThreadStatic] private static HashSet<string>? t_fieldNames;

    /// <summary>A set that grew past this many names (an odd record with very many fields) is dropped, not kept per thread.</summary>
    private const int FieldNamesKept = 64;

    public ParseResult<Transaction> Parse(ReadOnlyMemory<byte> record)
    {
        if (record.Length > limits.MaxRecordBytes)
            return ParseResult<Transaction>.Rejected(RejectionReason.Oversized,
                $"The record has {record.Length} bytes, more than the {limits.MaxRecordBytes} allowed (pipeline.upstream.max-record-bytes).");
        if (!Utf8.IsValid(record.Span))
            return ParseResult<Transaction>.Rejected(RejectionReason.InvalidUtf8, "The record is not valid UTF-8 text.");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(record, _jsonOptions);
        }
        catch (JsonException e)
        {
            return ParseResult<Transaction>.Rejected(RejectionReason.NotJson, $"The record is not JSON: {e.Message}");
        }
        using (document)
            return Read(document.RootElement);
    }

    private ParseResult<Transaction> Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return ParseResult<Transaction>.Rejected(RejectionReason.NotAnObject, $"The record is a JSON {Kind(root)}, not an object.");
        if (FieldNameProblem(root) is { } problem)
            return problem;

        if (Text(root, "transactionId", out var transactionId) is { } r1) return r1;
        if (Text(root, "customerId", out var customerId) is { } r2) return r2;
        if (Text(root, "merchant", out var merchant) is { } r3) return r3;
        if (Text(root, "category", out var category) is { } r4) return r4;
        if (!TransactionCategories.All.Contains(category))
            return ParseResult<Transaction>.Rejected(RejectionReason.InvalidCategory,
                $"Field 'category' is '{category}'; use one of {string.Join(", ", TransactionCategories.All)}.");
        if (Amount(root, "amount", required: true, out var amountMinor) is { } r5) return r5;
        if (Amount(root, "tip", required: false, out var tipMinor) is { } r6) return r6;
        if (Text(root, "currency", out var currency) is { } r7) return r7;
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            return ParseResult<Transaction>.Rejected(RejectionReason.InvalidCurrency,
                $"Field 'currency' is '{currency}'; use an ISO 4217 code of three capital letters such as EUR.");
        if (Timestamp(root, out var timestamp) is { } r8) return r8;

        return ParseResult<Transaction>.Accepted(new Transaction
        {
            transactionId = transactionId,
            customerId = customerId,
            merchant = merchant,
            category = category,
            amountMinor = amountMinor,
            tipMinor = tipMinor,
            currency = currency,
            timestamp = timestamp
        });
    }

    /// <summary>A field name that is not valid Unicode or appears twice, or null when every name is fine.</summary>
    private static ParseResult<Transaction>? FieldNameProblem(JsonElement root)
    {
        var seen = t_fieldNames ??= new HashSet<string>(StringComparer.Ordinal);
        seen.Clear();
        try
        {
            foreach (var property in root.EnumerateObject())
            {
                string name;
                try { name = property.Name; }
                catch (InvalidOperationException)
                {
                    return ParseResult<Transaction>.Rejected(RejectionReason.InvalidText, "A field name contains an escaped character that is not valid Unicode (a lone surrogate).");
                }
                if (!seen.Add(name))
                    return ParseResult<Transaction>.Rejected(RejectionReason.DuplicateField, $"Field '{Printable(name)}' appears more than once.");
            }
            return null;
        }
        finally
        {
            if (seen.Count > FieldNamesKept)
                t_fieldNames = null;
        }
    }

    private Rejection? Text(JsonElement root, string field, out string value)
    {
        value = "";
        if (!root.TryGetProperty(field, out var element))
            return new Rejection(RejectionReason.MissingField, $"Required field '{field}' is missing.");
        if (element.ValueKind != JsonValueKind.String)
            return new Rejection(RejectionReason.WrongType, $"Field '{field}' is a JSON {Kind(element)}; it must be a string.");
        // Measured on the raw JSON first (its UTF-8 bytes, without copying them), so a huge escaped value is refused
        // before it is decoded; a character takes at most 6 bytes there (\uXXXX).
        if (JsonMarshal.GetRawUtf8Value(element).Length - 2 > limits.MaxFieldLength * 6)
            return TooLong(field);
        try
        {
            value = element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return new Rejection(RejectionReason.InvalidText, $"Field '{field}' contains an escaped character that is not valid Unicode (a lone surrogate).");
        }
        if (value.Length == 0 || string.IsNullOrWhiteSpace(value))
            return new Rejection(RejectionReason.MissingField, $"Required field '{field}' is empty.");
        if (value.Length > limits.MaxFieldLength)
            return TooLong(field);
        if (value.Any(char.IsControl))
            return new Rejection(RejectionReason.InvalidText, $"Field '{field}' contains control characters (such as line breaks or NUL).");
        return null;
    }

    private Rejection TooLong(string field) =>
        new(RejectionReason.FieldTooLong, $"Field '{field}' is longer than {limits.MaxFieldLength} characters (pipeline.upstream.max-field-length).");

    private Rejection? Amount(JsonElement root, string field, bool required, out long minor)
    {
        minor = 0;
        if (!required && !root.TryGetProperty(field, out _))
            return null;
        if (Text(root, field, out var text) is { } rejection)
            return rejection;
        if (text.StartsWith('-'))
            return new Rejection(RejectionReason.InvalidAmount, $"Field '{field}' is negative ('{text}'); amounts are never negative.");
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major))
            return new Rejection(RejectionReason.InvalidAmount, $"Field '{field}' is '{text}', not a decimal number such as \"12.99\".");
        if (major > limits.MaxAmountMinor / 100m)
            return new Rejection(RejectionReason.InvalidAmount,
                $"Field '{field}' is '{text}', above the largest accepted amount of {limits.MaxAmountMinor} minor units (pipeline.upstream.max-amount-minor).");
        var minorUnits = major * 100m;
        if (minorUnits != decimal.Truncate(minorUnits))
            return new Rejection(RejectionReason.InvalidAmount, $"Field '{field}' is '{text}', which has more than two decimals.");
        minor = (long)minorUnits;
        return null;
    }

    private Rejection? Timestamp(JsonElement root, out DateTime timestamp)
    {
        timestamp = default;
        if (Text(root, "timestamp", out var text) is { } rejection)
            return rejection;
        if (!DateTimeOffset.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return new Rejection(RejectionReason.InvalidTimestamp,
                $"Field 'timestamp' is '{text}', not an ISO 8601 time with an offset such as \"2026-11-24T10:15:30.123Z\".");
        if (parsed < DateTimeOffset.UnixEpoch)
            return new Rejection(RejectionReason.InvalidTimestamp, $"Field 'timestamp' is '{text}', before 1970.");
        var latest = clock.GetUtcNow() + limits.MaxFutureSkew;
        if (parsed > latest)
            return new Rejection(RejectionReason.InvalidTimestamp,
                $"Field 'timestamp' is '{text}', more than {limits.MaxFutureSkew} in the future (pipeline.upstream.max-future-skew).");
        if (streamTime?.Current is { } reference && parsed < reference - limits.MaxEventAge)
            return new Rejection(RejectionReason.InvalidTimestamp,
                $"Field 'timestamp' is '{text}', before the oldest accepted time {(reference - limits.MaxEventAge).ToString("u", CultureInfo.InvariantCulture)}: " +
                $"more than {limits.MaxEventAge.TotalDays:0.###} days (pipeline.upstream.max-event-age) before the stream time " +
                $"{reference.ToString("u", CultureInfo.InvariantCulture)}, the newest event time the pipeline holds. No use-case window or retention can use it.");
        // Avro timestamp-millis keeps milliseconds; truncating here makes the value the same before and after a round trip.
        timestamp = DateTime.UnixEpoch.AddMilliseconds(parsed.ToUnixTimeMilliseconds());
        return null;
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value"
    };

    private static string Printable(string name) =>
        new string(name.Take(100).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
