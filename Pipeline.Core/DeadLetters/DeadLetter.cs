using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;

namespace Pipeline.Core.DeadLetters;

/// <summary>
/// Builds the record sent to the dead-letters topic: the original key, value and headers unchanged, plus headers
/// saying why and where it failed. A key or value longer than <see cref="DeadLetterSettings.MaxValueBytes"/> (one Kafka
/// would refuse, such as a 2 MB raw value) is cut to that size; <c>value.original-bytes</c> and <c>value.original-sha256</c>
/// (<c>key.</c> for the key) then give its full size and the SHA-256 of its full bytes, so it can be matched with its source. Header values are made safe: control characters (line breaks, NUL) become
/// spaces, so a value cannot forge another header line in tools that print them, and each is cut to a bounded length.
/// An original header that uses one of these names is kept under <c>original.</c> + its name, so a producer cannot
/// forge the reason or position of its own dead letter (readers usually take the last header of a name).
/// </summary>
public static class DeadLetter
{
    public const string ReasonHeader = "error.reason";
    public const string MessageHeader = "error.message";
    public const string StageHeader = "error.stage";
    public const string SourceTopicHeader = "source.topic";
    public const string SourcePartitionHeader = "source.partition";
    public const string SourceOffsetHeader = "source.offset";
    public const string ValueOriginalBytesHeader = "value.original-bytes";
    public const string ValueOriginalSha256Header = "value.original-sha256";
    public const string KeyOriginalBytesHeader = "key.original-bytes";
    public const string KeyOriginalSha256Header = "key.original-sha256";

    /// <summary>Prefix given to an original header whose name is one of the dead-letter headers.</summary>
    public const string OriginalPrefix = "original.";

    private const string CutMarker = "...";

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        ReasonHeader, MessageHeader, StageHeader, SourceTopicHeader, SourcePartitionHeader, SourceOffsetHeader,
        ValueOriginalBytesHeader, ValueOriginalSha256Header, KeyOriginalBytesHeader, KeyOriginalSha256Header
    };

    /// <summary>The dead letter of the consumed <paramref name="record"/>, refused by <paramref name="stage"/>.</summary>
    public static Message<byte[]?, byte[]?> Create(
        ConsumeResult<byte[]?, byte[]?> record, Rejection rejection, string stage, DeadLetterSettings settings) =>
        Create(record.Message.Key, record.Message.Value, record.Message.Headers, rejection, stage,
            new DeadLetterSource(record.Topic, record.Partition.Value, record.Offset.Value), settings);

    /// <summary>The dead letter of a record refused by <paramref name="stage"/> (e.g. <c>upstream</c>).</summary>
    public static Message<byte[]?, byte[]?> Create(
        byte[]? key, byte[]? value, Headers? originalHeaders, Rejection rejection, string stage, DeadLetterSource source, DeadLetterSettings settings)
    {
        var headers = new Headers();
        void Add(string name, string text) => headers.Add(name, Encoding.UTF8.GetBytes(Sanitise(text, settings.MaxHeaderValueBytes)));

        Add(ReasonHeader, rejection.Reason.Code());
        Add(MessageHeader, rejection.Message);
        Add(StageHeader, stage);
        Add(SourceTopicHeader, source.Topic);
        Add(SourcePartitionHeader, source.Partition.ToString(CultureInfo.InvariantCulture));
        Add(SourceOffsetHeader, source.Offset.ToString(CultureInfo.InvariantCulture));
        var cutKey = Cut(key, settings.MaxValueBytes, KeyOriginalBytesHeader, KeyOriginalSha256Header, headers);
        var cutValue = Cut(value, settings.MaxValueBytes, ValueOriginalBytesHeader, ValueOriginalSha256Header, headers);
        if (originalHeaders is not null)
        {
            foreach (var header in originalHeaders)
                headers.Add(Reserved.Contains(header.Key) ? OriginalPrefix + header.Key : header.Key, header.GetValueBytes());
        }
        return new Message<byte[]?, byte[]?> { Key = cutKey, Value = cutValue, Headers = headers };
    }

    /// <summary>The bytes cut to <paramref name="maxBytes"/>; when cut, headers give the full size and SHA-256.</summary>
    private static byte[]? Cut(byte[]? bytes, int maxBytes, string sizeHeader, string hashHeader, Headers headers)
    {
        if (bytes is null || bytes.Length <= maxBytes)
            return bytes;
        headers.Add(sizeHeader, Encoding.UTF8.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture)));
        headers.Add(hashHeader, Encoding.UTF8.GetBytes(Convert.ToHexStringLower(SHA256.HashData(bytes))));
        return bytes[..maxBytes];
    }

    /// <summary>The text with control characters replaced by spaces, cut to at most <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    public static string Sanitise(string text, int maxBytes)
    {
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
                continue;
            }
            clean.Append(char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        }
        var safe = clean.ToString();
        if (Encoding.UTF8.GetByteCount(safe) <= maxBytes)
            return safe;

        var budget = maxBytes - CutMarker.Length;
        var used = 0;
        var end = 0;
        while (end < safe.Length)
        {
            var width = char.IsHighSurrogate(safe[end]) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(safe.AsSpan(end, width));
            if (used + size > budget)
                break;
            used += size;
            end += width;
        }
        return safe[..end] + CutMarker;
    }
}
