using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Tests.Generator;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Diamond;

/// <summary>
/// Records no stream can get past as they are: raw values of 2 MB and 20 MB (larger than a Kafka producer sends by default),
/// and a transaction a use case never answers. Each goes to the dead letters once, and everything behind it, on its partition
/// and on the others, is delivered, with no restart loop.
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class PoisonRecordTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Oversized_raw_records_and_a_record_a_use_case_never_answers_are_dead_lettered_once_and_every_valid_record_is_delivered()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka,
            "pipeline.use-cases.stream.ask-timeout=2s",
            "pipeline.use-cases.stream.restart.max-backoff=1s",
            "pipeline.upstream.restart.min-backoff=200ms", "pipeline.upstream.restart.max-backoff=1s");
        using var release = new ManualResetEventSlim();
        var records = DiamondTests.Generate(3_000);
        var valid = records.Select(r => RawRecordParser.Parse(r.Value)).ToList();
        var healthy = diamond.Settings.UseCases;
        // The silent use case hangs on one customer's last record, so no later record of that customer waits behind it.
        var silentCustomer = records[100].Key;
        var silentRecord = records.Last(r => r.Key == silentCustomer).TransactionId;
        diamond.UseCases([.. healthy, SilentUseCase.Configured(silentRecord, release)]);
        var expected = ExpectedNotifications.Compute(valid, healthy, new Experiments(diamond.Settings.Downstream.BSharePercent));

        // On one customer's partition: a small bad record, then 2 MB of random bytes (incompressible), then 20 MB of JSON that
        // compresses to a few KB (the embedded broker keeps about 5 MiB per partition, so only a compressed 20 MB stays readable).
        var key = records[10].Key;
        var otherPartition = records.First(r => Partition(r.Key) != Partition(key)).Key;
        var twoMegabytes = RandomNumberGenerator.GetBytes(2 * 1024 * 1024);
        var twentyMegabytes = Encoding.UTF8.GetBytes("{\"merchant\":\"" + new string('x', 20 * 1024 * 1024) + "\"}");
        var bad = new List<(string Key, byte[] Value, string Reason)>
        {
            (key, Encoding.UTF8.GetBytes("not json"), RejectionReason.NotJson.Code()),
            (key, twoMegabytes, RejectionReason.Oversized.Code()),
            (otherPartition, Encoding.UTF8.GetBytes("{}"), RejectionReason.MissingField.Code()),
            (key, twentyMegabytes, RejectionReason.Oversized.Code())
        };

        await diamond.StartAsync();
        var node = diamond.Node!;
        var chunk = records.Count / (bad.Count + 1);
        for (var i = 0; i <= bad.Count; i++)
        {
            diamond.ProduceRaw(records.Skip(i * chunk).Take(i == bad.Count ? records.Count : chunk));
            if (i < bad.Count)
                await ProduceLargeAsync(diamond, bad[i].Key, bad[i].Value);
        }

        // Every valid record reaches every use case, the silent one included, and every expected notification is delivered.
        await diamond.WaitForUseCasesAsync(records.Count, Timeout);
        var notifications = await diamond.ReadNotificationsAsync(expected.Count, Timeout);
        Assert.Equal(expected.Keys.Order(), notifications.Select(n => n.notificationId).Order());
        var stored = await diamond.StoredRecordsAsync(records.Select(r => r.Key).Distinct());
        Assert.Equal(records.Select(r => (r.Key, r.TransactionId)).Order(), stored.Order());

        // Each bad record is dead-lettered exactly once, the oversized ones cut to the configured size with their full size and
        // SHA-256 in headers.
        var letters = BinaryTopic.ReadAll(diamond.Bootstrap, diamond.Settings.Topics.DeadLetters, bad.Count + 1, Timeout);
        output.WriteLine(string.Join(Environment.NewLine, letters.Select(l =>
            $"{BinaryTopic.Header(l, DeadLetter.StageHeader)} {BinaryTopic.Header(l, DeadLetter.ReasonHeader)} {l.Message.Value?.Length} B: " +
            BinaryTopic.Header(l, DeadLetter.MessageHeader))));
        var upstream = letters.Where(l => BinaryTopic.Header(l, DeadLetter.StageHeader) == "upstream").ToList();
        Assert.Equal(bad.Select(b => b.Reason).Order(), upstream.Select(l => BinaryTopic.Header(l, DeadLetter.ReasonHeader)).Order());
        Assert.Equal(upstream.Count, upstream.Select(l => BinaryTopic.Header(l, DeadLetter.SourceOffsetHeader) + "/" + BinaryTopic.Header(l, DeadLetter.SourcePartitionHeader)).Distinct().Count());
        var maxValueBytes = diamond.Config.Root.GetInt("pipeline.dead-letters.max-value-bytes");
        foreach (var original in new[] { twoMegabytes, twentyMegabytes })
        {
            var letter = Assert.Single(upstream, l => BinaryTopic.Headers(l, "value.original-bytes").SingleOrDefault() == original.Length.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original)), BinaryTopic.Header(letter, "value.original-sha256"));
            Assert.Equal(original.AsSpan(0, maxValueBytes).ToArray(), letter.Message.Value);
        }
        Assert.All(upstream.Where(l => l.Message.Value!.Length < 100), l => Assert.Empty(BinaryTopic.Headers(l, "value.original-bytes")));

        // The record the silent use case never answered: one dead letter, reason poison, naming the ask timeout.
        var silentStage = UseCaseStreamSettings.StageName(SilentUseCase.Key);
        var poison = Assert.Single(letters, l => BinaryTopic.Header(l, DeadLetter.StageHeader) == silentStage);
        Assert.Equal("poison", BinaryTopic.Header(poison, DeadLetter.ReasonHeader));
        Assert.Contains("did not answer within 2 s (ask-timeout)", BinaryTopic.Header(poison, DeadLetter.MessageHeader), StringComparison.Ordinal);
        Assert.Equal(letters.Count, upstream.Count + 1);

        // No restart loop: upstream never failed; the silent use case failed only until its record was dead-lettered; ready.
        var restarts = diamond.Config.Root.GetInt("pipeline.dead-letters.poison-after");
        output.WriteLine($"restarts: upstream {node.Upstream!.RestartCount}, silent {node.UseCases.Stream(SilentUseCase.Key)!.RestartCount} (poison after {restarts})");
        Assert.Equal(0, node.Upstream!.RestartCount);
        Assert.Equal(restarts, node.UseCases.Stream(SilentUseCase.Key)!.RestartCount);
        Assert.All(healthy.Select(u => u.UseCase.ConfigKey).Distinct(), k => Assert.Equal(0, node.UseCases.Stream(k)!.RestartCount));
        Assert.True(node.IsReady, "not ready after every record was delivered");
        release.Set();

        int Partition(string customer) => Murmur2Partitioner.PartitionOf(Encoding.UTF8.GetBytes(customer), DiamondHarness.Partitions);
    }

    [Fact]
    public async Task A_notification_Kafka_always_refuses_fails_downstream_poison_after_times_then_goes_to_the_dead_letters_and_the_rest_is_delivered()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka, "akka.cluster.roles=[\"downstream\"]",
            "pipeline.downstream.restart.min-backoff=200ms", "pipeline.downstream.restart.max-backoff=1s");
        var customer = "c-000007";
        var other = Enumerable.Range(0, 100).Select(i => $"c-{i:D6}").First(c => PartitionOf(c) != PartitionOf(customer));
        Contracts.Feedback Feedback(string id, string customerId, string message) => new()
        {
            feedbackId = id, useCase = "DuplicateCharge", variant = "A", customerId = customerId, transactionId = "t-" + id, message = message,
            timestamp = DateTime.UtcNow.AddMinutes(-1)
        };
        // A message of 1.5 MB: the feedback topic takes it (compressed), but its notification is larger than Kafka accepts.
        var huge = Feedback("huge", customer, new string('m', 1_500_000));
        var valid = new[] { Feedback("f-1", customer, "one"), Feedback("f-2", other, "two"), Feedback("f-3", customer, "three"), Feedback("f-4", other, "four") };

        await diamond.StartAsync();
        var node = diamond.Node!;
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
               {
                   BootstrapServers = diamond.Bootstrap, Partitioner = Partitioner.Murmur2Random, CompressionType = CompressionType.Zstd,
                   MessageMaxBytes = 32 * 1024 * 1024
               }).Build())
        {
            var serializer = Core.Schemas.AvroSerdes.Serializer<Contracts.Feedback>(diamond.Registry, diamond.Settings.Upstream.SchemaRegistry);
            async Task Produce(Contracts.Feedback feedback) => await producer.ProduceAsync(diamond.Settings.Topics.Feedback, new Message<string, byte[]>
            {
                Key = feedback.customerId,
                Value = await serializer.SerializeAsync(feedback, new SerializationContext(MessageComponentType.Value, diamond.Settings.Topics.Feedback))
            });
            // Before it on its partition: a value that is not Avro, dead-lettered by downstream before the failure.
            await producer.ProduceAsync(diamond.Settings.Topics.Feedback, new Message<string, byte[]> { Key = customer, Value = "not avro"u8.ToArray() });
            await Produce(valid[0]);
            await Produce(valid[1]);
            await Produce(huge);
            await Produce(valid[2]);
            await Produce(valid[3]);
        }

        // Notifications acknowledged just before a failure, whose rows were not stored yet, are delivered again by the restarted
        // stream under the same id (the documented at-least-once repeat): read until every id is there.
        var deadline = DateTime.UtcNow + Timeout;
        List<Contracts.Notification> notifications;
        do
            notifications = await diamond.ReadNotificationsAsync(valid.Length, TimeSpan.FromSeconds(10));
        while (notifications.Select(n => n.notificationId).Distinct().Count() < valid.Length && DateTime.UtcNow < deadline);
        output.WriteLine($"{notifications.Count} notifications read for {valid.Length} feedback records");
        Assert.Equal(valid.Select(v => v.feedbackId).Order(), notifications.Select(n => n.notificationId).Distinct().Order());
        var letters = BinaryTopic.ReadAll(diamond.Bootstrap, diamond.Settings.Topics.DeadLetters, 2, Timeout);
        output.WriteLine(string.Join(Environment.NewLine, letters.Select(l =>
            $"{BinaryTopic.Header(l, DeadLetter.ReasonHeader)} {l.Message.Value?.Length} B: {BinaryTopic.Header(l, DeadLetter.MessageHeader)}")));
        var restarts = diamond.Config.Root.GetInt("pipeline.dead-letters.poison-after");
        var poison = Assert.Single(letters, l => BinaryTopic.Header(l, DeadLetter.ReasonHeader) == "poison");
        // The value that is not Avro came just before the failing record. Its dead letter was acknowledged, but its offset can
        // still sit in the batch of history writes when the failure arrives, and then that batch is dropped: it is written again
        // after a restart, at most once per failure (a known limit, docs/reliability.md). Bounded, never a loop.
        var repeats = letters.Count(l => BinaryTopic.Header(l, DeadLetter.ReasonHeader) == "not-wire-format");
        output.WriteLine($"the value that is not Avro was dead-lettered {repeats} times");
        Assert.InRange(repeats, 1, restarts + 1);
        Assert.Equal(repeats + 1, letters.Count);
        Assert.Equal("downstream", BinaryTopic.Header(poison, DeadLetter.StageHeader));
        Assert.Contains("too large", BinaryTopic.Header(poison, DeadLetter.MessageHeader), StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(BinaryTopic.Header(poison, DeadLetter.ValueOriginalSha256Header));

        Assert.Equal(restarts, node.Downstream!.RestartCount);
        Assert.True(node.IsReady, "not ready after the rest was delivered");
    }

    private static int PartitionOf(string customer) => Murmur2Partitioner.PartitionOf(Encoding.UTF8.GetBytes(customer), DiamondHarness.Partitions);

    /// <summary>Writes one record larger than a producer sends by default (message.max.bytes 1,000,000), compressed.</summary>
    private static async Task ProduceLargeAsync(DiamondHarness diamond, string key, byte[] value)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = diamond.Bootstrap,
            Partitioner = Partitioner.Murmur2Random,
            CompressionType = CompressionType.Zstd,
            MessageMaxBytes = 32 * 1024 * 1024
        }).Build();
        await producer.ProduceAsync(diamond.Settings.Topics.Raw, new Message<string, byte[]> { Key = key, Value = value });
    }
}
