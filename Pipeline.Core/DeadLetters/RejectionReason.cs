namespace Pipeline.Core.DeadLetters;

/// <summary>Why an input record was refused; its <see cref="RejectionReasons.Code"/> goes into the dead letter's <c>error.reason</c> header.</summary>
public enum RejectionReason
{
    /// <summary>The record is larger than <c>pipeline.upstream.max-record-bytes</c>.</summary>
    Oversized,
    /// <summary>The bytes are not valid UTF-8.</summary>
    InvalidUtf8,
    /// <summary>The text is not JSON (syntax error, empty, or nested deeper than allowed).</summary>
    NotJson,
    /// <summary>The JSON is not an object.</summary>
    NotAnObject,
    /// <summary>A field appears twice, so its value is ambiguous.</summary>
    DuplicateField,
    /// <summary>A required field is absent or empty.</summary>
    MissingField,
    /// <summary>A field has the wrong JSON type (e.g. a number where a string is expected, or null).</summary>
    WrongType,
    /// <summary>A text field is longer than <c>pipeline.upstream.max-field-length</c>.</summary>
    FieldTooLong,
    /// <summary>A text field contains control characters.</summary>
    InvalidText,
    /// <summary>An amount is not a non-negative decimal with at most two decimals, or is too large.</summary>
    InvalidAmount,
    /// <summary>The currency is not an ISO 4217 code of three capital letters.</summary>
    InvalidCurrency,
    /// <summary>The category is not one of the known categories.</summary>
    InvalidCategory,
    /// <summary>
    /// The timestamp is not ISO 8601 with an offset, is before 1970, too far in the future, or older than
    /// <c>pipeline.upstream.max-event-age</c> behind the stream time.
    /// </summary>
    InvalidTimestamp,
    /// <summary>An Avro value does not start with the Confluent wire-format header (magic byte 0 and a schema id).</summary>
    NotWireFormat,
    /// <summary>The schema id in an Avro value is not known to the registry.</summary>
    UnknownSchemaId,
    /// <summary>An Avro value ends before its record is complete.</summary>
    TruncatedAvro,
    /// <summary>An Avro value cannot be decoded with its writer schema (corrupt data).</summary>
    InvalidAvro,
    /// <summary>An Avro value is valid but written with a schema the expected record cannot read.</summary>
    SchemaMismatch,
    /// <summary>A use case's Evaluate threw on the record; the message holds the exception's type and message.</summary>
    UseCaseFailed,
    /// <summary>The stream failed on the record <c>pipeline.dead-letters.poison-after</c> times; the message holds the last failure.</summary>
    Poison,
    /// <summary>The transaction id is already stored, at the same customer and event time, with different content.</summary>
    ConflictingDuplicate
}

/// <summary>The stable text codes of <see cref="RejectionReason"/>, e.g. <c>invalid-amount</c>.</summary>
public static class RejectionReasons
{
    /// <summary>The kebab-case code written to the <c>error.reason</c> header.</summary>
    public static string Code(this RejectionReason reason) => reason switch
    {
        RejectionReason.Oversized => "oversized",
        RejectionReason.InvalidUtf8 => "invalid-utf8",
        RejectionReason.NotJson => "not-json",
        RejectionReason.NotAnObject => "not-an-object",
        RejectionReason.DuplicateField => "duplicate-field",
        RejectionReason.MissingField => "missing-field",
        RejectionReason.WrongType => "wrong-type",
        RejectionReason.FieldTooLong => "field-too-long",
        RejectionReason.InvalidText => "invalid-text",
        RejectionReason.InvalidAmount => "invalid-amount",
        RejectionReason.InvalidCurrency => "invalid-currency",
        RejectionReason.InvalidCategory => "invalid-category",
        RejectionReason.InvalidTimestamp => "invalid-timestamp",
        RejectionReason.NotWireFormat => "not-wire-format",
        RejectionReason.UnknownSchemaId => "unknown-schema-id",
        RejectionReason.TruncatedAvro => "truncated-avro",
        RejectionReason.InvalidAvro => "invalid-avro",
        RejectionReason.SchemaMismatch => "schema-mismatch",
        RejectionReason.UseCaseFailed => "use-case-failed",
        RejectionReason.Poison => "poison",
        RejectionReason.ConflictingDuplicate => "conflicting-duplicate",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null)
    };
}
