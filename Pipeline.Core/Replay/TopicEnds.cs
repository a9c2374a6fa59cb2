using Confluent.Kafka;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Core.Replay;

/// <summary>Where each partition of a topic ends right now: watermarks and the timestamp of the last record.</summary>
public static class TopicEnds
{
    // The last offsets of a partition may be transaction markers rather than records; this many are looked at.
    private const int TailRecords = 100;

    /// <summary>Reads every partition's end; no group is joined and nothing is committed.</summary>
    /// <exception cref="InvalidOperationException">The topic does not exist or its metadata could not be read within <paramref name="timeout"/>.</exception>
    public static IReadOnlyList<PartitionEnd> Read(ConsumerSettings settings, string topic, TimeSpan timeout)
    {
        var config = settings.ToConsumerConfig();
        config.EnablePartitionEof = true;
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var metadata = admin.GetMetadata(topic, timeout).Topics.SingleOrDefault(t => t.Topic == topic);
        if (metadata is null || metadata.Error.IsError || metadata.Partitions.Count == 0)
            throw new InvalidOperationException(
                $"Topic '{topic}' has no partitions on {settings.BootstrapServers} ({metadata?.Error.Reason ?? "no metadata"}); check pipeline.topics and pipeline.kafka.bootstrap-servers.");
        var ends = new List<PartitionEnd>();
        foreach (var partition in metadata.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).OrderBy(p => p.Partition.Value))
        {
            var watermarks = consumer.QueryWatermarkOffsets(partition, timeout);
            ends.Add(new PartitionEnd(partition, watermarks.Low, watermarks.High, LastTimestamp(consumer, partition, watermarks, timeout)));
        }
        consumer.Close();
        return ends;
    }

    /// <summary>The Kafka timestamp of the oldest record the partitions hold (null when they hold none), to say where the data is.</summary>
    public static DateTimeOffset? OldestTimestamp(ConsumerSettings settings, IReadOnlyList<PartitionEnd> ends, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(settings.ToConsumerConfig()).Build();
        DateTimeOffset? oldest = null;
        foreach (var end in ends.Where(e => e.High > e.Low))
        {
            consumer.Assign(new TopicPartitionOffset(end.Partition, end.Low));
            // The first offsets may be transaction markers: the first record after them is the oldest.
            if (consumer.Consume(timeout) is { IsPartitionEOF: false } first)
            {
                DateTimeOffset at = first.Message.Timestamp.UtcDateTime;
                oldest = oldest is null || at < oldest ? at : oldest;
            }
        }
        consumer.Close();
        return oldest;
    }

    private static DateTimeOffset? LastTimestamp(IConsumer<Ignore, Ignore> consumer, TopicPartition partition, WatermarkOffsets watermarks, TimeSpan timeout)
    {
        if (watermarks.High <= watermarks.Low)
            return null;
        consumer.Assign(new TopicPartitionOffset(partition, Math.Max(watermarks.Low.Value, watermarks.High.Value - TailRecords)));
        DateTimeOffset? last = null;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(deadline - DateTime.UtcNow);
            if (result is null)
                break;
            if (result.IsPartitionEOF || result.Offset.Value >= watermarks.High.Value - 1)
            {
                if (!result.IsPartitionEOF)
                    last = result.Message.Timestamp.UtcDateTime;
                return last;
            }
            last = result.Message.Timestamp.UtcDateTime;
        }
        throw new InvalidOperationException($"Could not read the end of {partition} within {timeout}; check that the brokers are reachable.");
    }
}
