using System.Diagnostics;
using Confluent.Kafka;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.DevelopmentInfrastructure;

[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class EmbeddedKafkaTests(EmbeddedKafkaFixture fixture)
{
    [Fact]
    public void Produces_and_consumes_10000_keyed_messages_on_8_partitions_in_partition_order()
    {
        var topic = fixture.CreateTopic("embedded", partitions: 8);
        fixture.Produce(topic, 10_000, keys: 100);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = fixture.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        Assert.Equal(8, metadata.Topics.Single().Partitions.Count);

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            GroupId = EmbeddedKafkaFixture.UniqueGroup("embedded"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false
        }).Build();
        consumer.Subscribe(topic);

        var lastValuePerKey = new Dictionary<string, int>();
        var partitionsSeen = new HashSet<int>();
        var count = 0;
        var deadline = Stopwatch.StartNew();
        while (count < 10_000 && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
                continue;
            count++;
            partitionsSeen.Add(result.Partition.Value);
            var value = int.Parse(result.Message.Value, System.Globalization.CultureInfo.InvariantCulture);
            // Same key => same partition => values must arrive in the order they were produced.
            if (lastValuePerKey.TryGetValue(result.Message.Key, out var previous))
                Assert.True(value > previous, $"key {result.Message.Key}: {value} after {previous}");
            lastValuePerKey[result.Message.Key] = value;
        }

        Assert.Equal(10_000, count);
        Assert.Equal(8, partitionsSeen.Count);
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Another_process_sees_the_brokers_and_topics_over_tcp()
    {
        var topic = fixture.CreateTopic("kcat", partitions: 8);
        var kcat = new[] { "/usr/bin/kcat", "/usr/bin/kafkacat" }.FirstOrDefault(File.Exists);
        Assert.True(kcat is not null, "kcat is required for this test; .ci/run and test.sh install it (apt-get install kcat).");

        var start = new ProcessStartInfo(kcat!, ["-L", "-b", fixture.BootstrapServers, "-t", topic])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Contains($"{fixture.Kafka.Brokers} brokers", output);
        Assert.Contains($"topic \"{topic}\" with 8 partitions", output);
    }
}
