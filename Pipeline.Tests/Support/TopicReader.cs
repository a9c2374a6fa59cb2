using System.Diagnostics;
using Confluent.Kafka;

namespace Pipeline.Tests.Support;

/// <summary>Reads a whole topic with a plain Confluent consumer, to check what a stream wrote.</summary>
public static class TopicReader
{
    public static List<ConsumeResult<string, string>> ReadAll(string bootstrap, string topic, int expectedAtLeast, TimeSpan timeout,
        IsolationLevel isolation = IsolationLevel.ReadUncommitted)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = EmbeddedKafkaFixture.UniqueGroup("reader"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            IsolationLevel = isolation,
            FetchWaitMaxMs = 10
        }).Build();
        consumer.Subscribe(topic);
        var results = new List<ConsumeResult<string, string>>();
        var clock = Stopwatch.StartNew();
        var quietSince = Stopwatch.StartNew();
        // Read until the expected count arrived and the topic stayed quiet for a moment (so extras are seen too).
        while (clock.Elapsed < timeout && (results.Count < expectedAtLeast || quietSince.Elapsed < TimeSpan.FromSeconds(1)))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null || result.IsPartitionEOF)
                continue;
            results.Add(result);
            quietSince.Restart();
        }
        return results;
    }

    /// <summary>The group's committed offsets summed over the topic's partitions (unset counts as 0).</summary>
    public static long CommittedTotal(string bootstrap, string groupId, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = groupId }).Build();
        var committed = consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10));
        return committed.Sum(c => c.Offset.Value < 0 ? 0 : c.Offset.Value);
    }

    /// <summary>The sum of the partitions' high watermarks: how many records the topic ever received.</summary>
    public static long EndOffsetsTotal(string bootstrap, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "watermarks" }).Build();
        return Enumerable.Range(0, partitions)
            .Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }
}
