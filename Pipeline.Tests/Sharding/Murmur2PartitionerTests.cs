using System.Text;
using Confluent.Kafka;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Sharding;

/// <summary>The shard of a customer is the partition librdkafka's murmur2 partitioner (Kafka's Java default) puts its records on.</summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class Murmur2PartitionerTests(EmbeddedKafkaFixture fixture)
{
    [Theory]
    [InlineData(8)]
    [InlineData(7)]
    public async Task Matches_the_partition_librdkafka_murmur2_chooses_for_every_key(int partitions)
    {
        var topic = fixture.CreateTopic("murmur2", partitions);
        using var producer = new ProducerBuilder<byte[], string>(new ProducerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            Partitioner = Partitioner.Murmur2Random
        }).Build();
        var extractor = new CustomerShardExtractor(partitions);
        // Keys of every length remainder mod 4, non-ASCII ones, and the generator's shape.
        var keys = Enumerable.Range(0, 500).Select(i => $"customer-{i:D5}")
            .Concat(["", "a", "ab", "abc", "abcd", "é", "客户-42", new string('x', 1001)]).Where(k => k.Length > 0).ToList();
        foreach (var key in keys)
        {
            var bytes = Encoding.UTF8.GetBytes(key);
            var delivered = await producer.ProduceAsync(topic, new Message<byte[], string> { Key = bytes, Value = "v" });
            Assert.Equal(delivered.Partition.Value, Murmur2Partitioner.PartitionOf(bytes, partitions));
            Assert.Equal(delivered.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), extractor.ShardOf(key));
        }
    }
}
