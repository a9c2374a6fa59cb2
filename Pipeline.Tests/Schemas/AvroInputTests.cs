using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Contracts;
using Pipeline.Core.Configuration;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Core.Schemas;
using Pipeline.Tests.Support;
using Prometheus;
using Xunit.Abstractions;

namespace Pipeline.Tests.Schemas;

/// <summary>
/// The Avro input flow of later stages, on the embedded Kafka and a real registry: undecodable values become dead
/// letters named after the caller's stage, valid ones pass on in order, and every input's offset is committed.
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class AvroInputTests(EmbeddedKafkaFixture fixture, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private const string Stage = "usecase-test";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly DateTime When = new(2026, 11, 24, 10, 15, 30, 123, DateTimeKind.Utc);

    [Fact]
    public async Task Undecodable_values_become_dead_letters_and_valid_ones_pass_on_in_order()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        var input = fixture.CreateTopic("avro-in", 1); // one partition: the whole input has one order to check
        var deadLetterTopic = fixture.CreateTopic("avro-dead-letters", 2);
        var group = EmbeddedKafkaFixture.UniqueGroup("avro-input");
        var config = PipelineConfig.Defaults();

        async Task<byte[]> Encode<T>(T record, string topic) where T : Avro.Specific.ISpecificRecord =>
            await AvroSerdes.Serializer<T>(registry.Client, registry.Settings).SerializeAsync(record, new SerializationContext(MessageComponentType.Value, topic));
        async Task<byte[]> Valid(int i) => await Encode(Transaction(i), input);

        var wrongMagic = await Valid(100);
        wrongMagic[0] = 0x01;
        var unknownId = await Valid(101);
        unknownId[1] = 0x7F; // schema id 0x7F0000xx: never registered
        var truncated = (await Valid(102))[..^4];
        var otherSchema = await Encode(new Feedback { feedbackId = "f", useCase = "u", variant = "A", customerId = "c", transactionId = "t", message = "m", timestamp = When }, "feedback");
        var cases = new List<(byte[] Value, RejectionReason? Expected)>
        {
            (await Valid(0), null),
            (Encoding.UTF8.GetBytes("""{"transactionId":"t-1"}"""), RejectionReason.NotWireFormat),
            (await Valid(1), null),
            (wrongMagic, RejectionReason.NotWireFormat),
            (await Valid(2), null),
            (unknownId, RejectionReason.UnknownSchemaId),
            (await Valid(3), null),
            (truncated, RejectionReason.TruncatedAvro),
            (await Valid(4), null),
            (otherSchema, RejectionReason.SchemaMismatch),
            (await Valid(5), null)
        };
        var positions = await BinaryTopic.ProduceAsync(fixture.BootstrapServers, input,
            cases.Select(c => new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes("c-1"), Value = c.Value }));

        var metrics = new DeadLetterMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
        var settings = new AvroInputSettings(Stage, deadLetterTopic, config.Section("pipeline.downstream").GetInt("avro-parallelism"),
            DeadLetterSettings.Create(config.Section("pipeline.dead-letters")));
        var decoded = new ConcurrentQueue<Transaction>();
        var (control, completion) = KafkaSource.CommittableSource<byte[]?, byte[]?>(KafkaTestSettings.Consumer(fixture.BootstrapServers, group), Subscription.ForTopics(input))
            .Via(AvroInput.Decode<Transaction>(settings, registry.Client, KafkaTestSettings.Producer(fixture.BootstrapServers), metrics))
            .Select(ICommittable (record) =>
            {
                if (!record.IsDeadLettered)
                    decoded.Enqueue(record.Value!);
                return record.Offset;
            })
            .ToMaterialized(KafkaCommitter.Sink(KafkaTestSettings.Committer().WithMaxInterval(TimeSpan.FromMilliseconds(100))), Keep.Both)
            .Run(Sys.Materializer());

        await AwaitConditionAsync(() => Task.FromResult(TopicReader.CommittedTotal(fixture.BootstrapServers, group, input, 1) == cases.Count),
            Timeout, TimeSpan.FromMilliseconds(200));
        await control.DrainAndShutdown(completion).WaitAsync(Timeout);

        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"t-{i}"), decoded.Select(t => t.transactionId));
        var bad = cases.Select((c, i) => (c, position: positions[i])).Where(x => x.c.Expected is not null).ToList();
        var deadLetters = BinaryTopic.ReadAll(fixture.BootstrapServers, deadLetterTopic, bad.Count, Timeout);
        Assert.Equal(bad.Count, deadLetters.Count);
        foreach (var (c, position) in bad)
        {
            var letter = Assert.Single(deadLetters, d => BinaryTopic.Header(d, DeadLetter.SourceOffsetHeader) == position.Offset.Value.ToString(CultureInfo.InvariantCulture));
            Assert.True(c.Expected!.Value.Code() == BinaryTopic.Header(letter, DeadLetter.ReasonHeader), BinaryTopic.Header(letter, DeadLetter.MessageHeader));
            Assert.Equal(Stage, BinaryTopic.Header(letter, DeadLetter.StageHeader));
            Assert.Equal(input, BinaryTopic.Header(letter, DeadLetter.SourceTopicHeader));
            Assert.Equal("0", BinaryTopic.Header(letter, DeadLetter.SourcePartitionHeader));
            Assert.Equal(c.Value, letter.Message.Value);
        }
        Assert.Equal(2, metrics.Value(Stage, RejectionReason.NotWireFormat));
        Assert.Equal(1, metrics.Value(Stage, RejectionReason.SchemaMismatch));
    }

    private static Transaction Transaction(int i) => new()
    {
        transactionId = $"t-{i}", customerId = "c-1", merchant = "Lidl", category = "grocery",
        amountMinor = 4_210 + i, tipMinor = 0, currency = "EUR", timestamp = When
    };
}
