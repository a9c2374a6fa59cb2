using System.Text;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Service.Run;

/// <summary>
/// The latest records of the dead-letters topic with their headers, read on demand by a consumer without a group (it
/// commits nothing and joins nothing) and reused for <c>maxAge</c>, so a console polling it costs one short read at most
/// that often. Header values whose names look like credentials are replaced, and every value is cut to a bounded length.
/// </summary>
internal sealed partial class DeadLetterTail(ConsumerSettings consumer, string topic, int latest, TimeSpan maxAge, TimeSpan readDeadline)
{
    private const int MaxValueBytes = 512;

    private readonly SemaphoreSlim _reading = new(1, 1);
    private (DateTime At, IReadOnlyList<DeadLetterView> Letters)? _cached;

    public async Task<IReadOnlyList<DeadLetterView>> LatestAsync()
    {
        await _reading.WaitAsync();
        try
        {
            if (_cached is { } cached && DateTime.UtcNow - cached.At < maxAge)
                return cached.Letters;
            var letters = latest == 0 ? [] : await Task.Run(Read);
            _cached = (DateTime.UtcNow, letters);
            return letters;
        }
        finally
        {
            _reading.Release();
        }
    }

    private IReadOnlyList<DeadLetterView> Read()
    {
        var config = new ConsumerConfig(consumer.Properties.ToDictionary(p => p.Key, p => p.Value))
        {
            GroupId = "pipeline-console-dead-letters",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false
        };
        using var reader = new ConsumerBuilder<byte[]?, byte[]?>(config).SetLogHandler((_, _) => { }).Build();
        using var admin = new DependentAdminClientBuilder(reader.Handle).Build();
        var partitions = admin.GetMetadata(topic, readDeadline).Topics.SingleOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError)?.Partitions;
        if (partitions is null)
            return [];
        var ends = new Dictionary<int, long>();
        var starts = new List<TopicPartitionOffset>();
        foreach (var partition in partitions.Select(p => new TopicPartition(topic, p.PartitionId)))
        {
            var marks = reader.QueryWatermarkOffsets(partition, readDeadline);
            if (marks.High.Value <= marks.Low.Value)
                continue;
            ends[partition.Partition.Value] = marks.High.Value;
            starts.Add(new TopicPartitionOffset(partition, Math.Max(marks.Low.Value, marks.High.Value - latest)));
        }
        if (starts.Count == 0)
            return [];
        reader.Assign(starts);
        var letters = new List<DeadLetterView>();
        var deadline = DateTime.UtcNow + readDeadline;
        while (ends.Count > 0 && DateTime.UtcNow < deadline)
        {
            var record = reader.Consume(TimeSpan.FromMilliseconds(100));
            if (record is null || record.IsPartitionEOF)
                continue;
            letters.Add(View(record));
            if (record.Offset.Value + 1 >= ends.GetValueOrDefault(record.Partition.Value))
                ends.Remove(record.Partition.Value);
        }
        reader.Close();
        return letters.OrderByDescending(l => l.Timestamp).ThenByDescending(l => l.Offset).Take(latest).ToList();
    }

    private static DeadLetterView View(ConsumeResult<byte[]?, byte[]?> record)
    {
        var headers = (record.Message.Headers ?? []).Select(h => new HeaderView(h.Key, ShownValue(h.Key, h.GetValueBytes()))).ToList();
        string? Header(string name) => headers.LastOrDefault(h => h.Name == name)?.Value;
        return new DeadLetterView(record.Message.Timestamp.UtcDateTime, record.Topic, record.Partition.Value, record.Offset.Value,
            Header(DeadLetter.StageHeader), Header(DeadLetter.ReasonHeader), headers);
    }

    /// <summary>The header's value as text, or a mark instead of it when the name says it holds a credential.</summary>
    internal static string ShownValue(string name, byte[]? value)
    {
        if (SecretName().IsMatch(name))
            return "[redacted]";
        return value is null ? "" : DeadLetter.Sanitise(Encoding.UTF8.GetString(value), MaxValueBytes);
    }

    [GeneratedRegex("auth|token|secret|passw|credential|cookie|api[-_.]?key|signature", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}

/// <summary>One dead letter as the console shows it.</summary>
internal sealed record DeadLetterView(DateTime Timestamp, string Topic, int Partition, long Offset, string? Stage, string? Reason, IReadOnlyList<HeaderView> Headers);

/// <summary>A header of a dead letter, its value as text.</summary>
internal sealed record HeaderView(string Name, string Value);
