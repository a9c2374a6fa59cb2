using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Support;

/// <summary>Writes and reads raw bytes (keys, values, headers) on a test topic, so tests see exactly what a stream wrote.</summary>
internal static class BinaryTopic
{
    /// <summary>Produces the records in order with the murmur2 partitioner and returns where each one landed.</summary>
    public static async Task<List<TopicPartitionOffset>> ProduceAsync(string bootstrap, string topic, IEnumerable<Message<byte[]?, byte[]?>> messages)
    {
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Partitioner = Partitioner.Murmur2Random,
            EnableIdempotence = true,
            LingerMs = 5
        }).Build();
        var positions = new List<TopicPartitionOffset>();
        // One at a time, awaited: the test needs each record's position, and the input order per key is the point.
        foreach (var message in messages)
            positions.Add((await producer.ProduceAsync(topic, message)).TopicPartitionOffset);
        return positions;
    }

    /// <summary>Everything on the topic: reads until <paramref name="expected"/> records arrived and the topic stayed quiet for a moment.</summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrap, string topic, int expected, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = EmbeddedKafkaFixture.UniqueGroup("binary-reader"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 10
        }).Build();
        consumer.Subscribe(topic);
        var results = new List<ConsumeResult<byte[]?, byte[]?>>();
        var clock = Stopwatch.StartNew();
        var quietSince = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && (results.Count < expected || quietSince.Elapsed < TimeSpan.FromMilliseconds(500)))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (result is null || result.IsPartitionEOF)
                continue;
            results.Add(result);
            quietSince.Restart();
        }
        return results;
    }

    /// <summary>The values of every header called <paramref name="name"/>, as text.</summary>
    public static List<string> Headers(ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers.Where(h => h.Key == name).Select(h => Encoding.UTF8.GetString(h.GetValueBytes())).ToList();

    /// <summary>The value of the single header called <paramref name="name"/>; fails when there is none or several.</summary>
    public static string Header(ConsumeResult<byte[]?, byte[]?> record, string name) => Assert.Single(Headers(record, name));
}
