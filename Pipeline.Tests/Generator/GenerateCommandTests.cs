using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using Pipeline.Service.Commands;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Generator;

[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class GenerateCommandTests(EmbeddedKafkaFixture fixture)
{
    [Fact]
    public async Task Writes_paced_records_keyed_by_customer_to_the_raw_topic_and_the_ground_truth_file()
    {
        var topic = fixture.CreateTopic("raw", partitions: 4);
        var truthFile = Path.Combine(Path.GetTempPath(), $"truth-{Guid.NewGuid():N}.jsonl");
        try
        {
            var clock = Stopwatch.StartNew();
            var exitCode = await GenerateCommand.Create().Parse(
            [
                "--rate", "2000", "--customers", "100", "--duration", "2s", "--truth-file", truthFile,
                "--bootstrap-servers", fixture.BootstrapServers, "--set", $"pipeline.topics.raw={topic}"
            ]).InvokeAsync();
            clock.Stop();

            Assert.Equal(0, exitCode);
            var records = Consume(topic);
            // Paced: about rate x duration records, not as many as the client could send.
            Assert.InRange(records.Count, 3_000, 4_100);
            Assert.InRange(clock.Elapsed.TotalSeconds, 1.9, 10);
            foreach (var (key, value) in records.Take(100))
            {
                using var json = JsonDocument.Parse(value);
                Assert.Equal(key, json.RootElement.GetProperty("customerId").GetString());
            }
            var ids = records.Select(r => JsonDocument.Parse(r.Value).RootElement.GetProperty("transactionId").GetString()).ToHashSet();
            var truth = File.ReadAllLines(truthFile);
            Assert.All(truth, line => Assert.Contains(JsonDocument.Parse(line).RootElement.GetProperty("transactionId").GetString(), ids));
        }
        finally
        {
            File.Delete(truthFile);
        }
    }

    private List<(string Key, string Value)> Consume(string topic)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            GroupId = EmbeddedKafkaFixture.UniqueGroup("generate"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false
        }).Build();
        consumer.Subscribe(topic);
        var records = new List<(string, string)>();
        var idle = Stopwatch.StartNew();
        while (idle.Elapsed < TimeSpan.FromSeconds(records.Count == 0 ? 15 : 2))
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is null)
                continue;
            records.Add((result.Message.Key, result.Message.Value));
            idle.Restart();
        }
        return records;
    }
}
