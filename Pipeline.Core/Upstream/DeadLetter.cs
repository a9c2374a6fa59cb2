using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Pipeline.Core.Upstream;

/// <summary>
/// Builds the record sent to the dead-letters topic: the original key, value and headers unchanged, plus headers
/// saying why and where it failed. Header values are made safe: control characters (line breaks, NUL) become
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

    /// <summary>Prefix given to an original header whose name is one of the dead-letter headers.</summary>
    public const string OriginalPrefix = "original.";

    private const string CutMarker = "...";

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        ReasonHeader, MessageHeader, StageHeader, SourceTopicHeader, SourcePartitionHeader, SourceOffsetHeader
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
        if (originalHeaders is not null)
        {
            foreach (var header in originalHeaders)
                headers.Add(Reserved.Contains(header.Key) ? OriginalPrefix + header.Key : header.Key, header.GetValueBytes());
        }
        return new Message<byte[]?, byte[]?> { Key = key, Value = value, Headers = headers };
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
