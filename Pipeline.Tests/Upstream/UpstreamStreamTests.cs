using System.Globalization;
using System.Text;
using Akka.Streams;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Pipeline.Contracts;
using Pipeline.Core.Configuration;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Schemas;
using Pipeline.Core.Storage;
using Pipeline.Core.Upstream;
using Pipeline.Tests.Support;
using Prometheus;
using Xunit.Abstractions;

namespace Pipeline.Tests.Upstream;

/// <summary>
/// The upstream stream on the embedded Kafka and a real schema registry: good records become Avro transactions
/// keyed by customer, every kind of bad record becomes a dead letter with its original bytes, and every input is committed.
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class UpstreamStreamTests(EmbeddedKafkaFixture fixture, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private const int Partitions = 4;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private sealed record Input(string Name, Message<byte[]?, byte[]?> Message, RejectionReason? Expected);

    [Fact]
    public async Task Each_kind_of_bad_input_becomes_a_dead_letter_and_the_valid_records_around_it_arrive_in_order()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        await using var history = await TempHistoryStore.CreateAsync();
        var (settings, group) = Settings(registry);
        var metrics = new DeadLetterMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
        var inputs = MixedInputs();

        var positions = await BinaryTopic.ProduceAsync(fixture.BootstrapServers, settings.Topics.Raw, inputs.Select(i => i.Message));
        var running = await UpstreamStream.RunAsync(settings, registry.Client, history.Store, Sys.Materializer(), metrics);

        // Nothing lost, nothing stuck: every input, good or bad, is committed.
        await AwaitConditionAsync(() => Task.FromResult(TopicReader.CommittedTotal(fixture.BootstrapServers, group, settings.Topics.Raw, Partitions) == inputs.Count),
            Timeout, TimeSpan.FromMilliseconds(200));
        await running.DrainAndShutdown().WaitAsync(Timeout);

        var bad = inputs.Select((input, i) => (input, position: positions[i])).Where(x => x.input.Expected is not null).ToList();
        var deadLetters = BinaryTopic.ReadAll(fixture.BootstrapServers, settings.Topics.DeadLetters, bad.Count, Timeout);
        Assert.Equal(bad.Count, deadLetters.Count);
        foreach (var (input, position) in bad)
        {
            var letter = Assert.Single(deadLetters, d =>
                BinaryTopic.Header(d, DeadLetter.SourcePartitionHeader) == position.Partition.Value.ToString(CultureInfo.InvariantCulture) &&
                BinaryTopic.Header(d, DeadLetter.SourceOffsetHeader) == position.Offset.Value.ToString(CultureInfo.InvariantCulture));
            Assert.True(input.Expected!.Value.Code() == BinaryTopic.Header(letter, DeadLetter.ReasonHeader), $"{input.Name}: {BinaryTopic.Header(letter, DeadLetter.MessageHeader)}");
            Assert.Equal(UpstreamSettings.StageName, BinaryTopic.Header(letter, DeadLetter.StageHeader));
            Assert.Equal(settings.Topics.Raw, BinaryTopic.Header(letter, DeadLetter.SourceTopicHeader));
            Assert.Equal(input.Message.Value, letter.Message.Value);
            Assert.Equal(input.Message.Key, letter.Message.Key);
            Assert.DoesNotContain(BinaryTopic.Header(letter, DeadLetter.MessageHeader), c => char.IsControl(c) || c is '\u2028' or '\u2029');
        }

        // The injection attempt: its hostile category reaches error.message only as one cleaned line, and its forged
        // error.reason header is kept aside rather than competing with the real one.
        var injected = deadLetters.Single(d => BinaryTopic.Header(d, DeadLetter.ReasonHeader) == RejectionReason.InvalidCategory.Code());
        Assert.Contains("grocery error.reason: accepted", BinaryTopic.Header(injected, DeadLetter.MessageHeader));
        Assert.Equal("accepted", BinaryTopic.Header(injected, DeadLetter.OriginalPrefix + DeadLetter.ReasonHeader));

        foreach (var reason in bad.Select(b => b.input.Expected!.Value).Distinct())
            Assert.Equal(bad.Count(b => b.input.Expected == reason), metrics.Value(UpstreamSettings.StageName, reason));

        var valid = inputs.Select((input, i) => (input, position: positions[i])).Where(x => x.input.Expected is null).ToList();
        var written = BinaryTopic.ReadAll(fixture.BootstrapServers, settings.Topics.Transactions, valid.Count, Timeout);
        Assert.Equal(valid.Count, written.Count);
        var deserializer = new AvroDeserializer<Transaction>(registry.Client);
        var transactions = new List<(Transaction Value, ConsumeResult<byte[]?, byte[]?> Record)>();
        foreach (var record in written)
            transactions.Add((await deserializer.DeserializeAsync(record.Message.Value, false, new SerializationContext(MessageComponentType.Value, record.Topic)), record));

        foreach (var customer in valid.GroupBy(v => Encoding.UTF8.GetString(v.input.Message.Key!)))
        {
            var expected = customer.Select(v => Parse(v.input).transactionId).ToList();
            var received = transactions.Where(t => t.Value.customerId == customer.Key).OrderBy(t => t.Record.Offset.Value).ToList();
            Assert.Equal(expected, received.Select(t => t.Value.transactionId));
            Assert.All(received, t => Assert.Equal(customer.Key, Encoding.UTF8.GetString(t.Record.Message.Key!)));
            // Same key, same partition count, murmur2 on both sides: the customer's records stay on the input's partition number.
            Assert.All(received, t => Assert.Equal(customer.First().position.Partition.Value, t.Record.Partition.Value));
        }
        // Each valid record is in the history store too (written before it was produced), with the produced bytes.
        foreach (var (value, record) in transactions)
        {
            var rows = await history.ReadAllAsync(HistoryTable.Records, value.customerId);
            Assert.Equal(record.Message.Value, Assert.Single(rows, r => r.Id == value.transactionId).Payload);
        }
        var sample = transactions.Single(t => t.Value.transactionId == Parse(valid[0].input).transactionId).Value;
        Assert.Equal(1_299L, sample.amountMinor);
        Assert.Equal(50L, sample.tipMinor);
    }

    [Fact]
    public async Task An_incompatible_transactions_schema_fails_the_start_before_anything_is_consumed_or_sent()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        var (settings, group) = Settings(registry);
        var subject = settings.Topics.Transactions + "-value";
        await registry.Client.UpdateCompatibilityAsync(Compatibility.Backward, subject);
        // An older Transaction whose amount was text: the current one (amountMinor a long) cannot read its data.
        var textAmount = ContractSchemas.Text("Transaction").Replace("\"name\": \"amountMinor\", \"type\": \"long\"", "\"name\": \"amountMinor\", \"type\": \"string\"", StringComparison.Ordinal);
        Assert.NotEqual(ContractSchemas.Text("Transaction"), textAmount);
        await registry.Client.RegisterSchemaAsync(subject, new Schema(textAmount, SchemaType.Avro));
        var inputs = MixedInputs();
        await BinaryTopic.ProduceAsync(fixture.BootstrapServers, settings.Topics.Raw, inputs.Select(i => i.Message));

        await using var history = await TempHistoryStore.CreateAsync();
        var error = await Assert.ThrowsAsync<IncompatibleSchemaException>(() => UpstreamStream.RunAsync(settings, registry.Client, history.Store, Sys.Materializer()));

        Assert.Equal(subject, error.Subject);
        Assert.Equal("BACKWARD", error.Level);
        Assert.NotEmpty(error.Problems);
        Assert.Contains(subject, error.Message);
        Assert.Contains("BACKWARD", error.Message);
        Assert.True(error.Message.Contains("amountMinor", StringComparison.Ordinal), error.Message);
        Assert.Equal(0, TopicReader.EndOffsetsTotal(fixture.BootstrapServers, settings.Topics.Transactions, Partitions));
        Assert.Equal(0, TopicReader.EndOffsetsTotal(fixture.BootstrapServers, settings.Topics.DeadLetters, Partitions));
        Assert.Equal(0, TopicReader.CommittedTotal(fixture.BootstrapServers, group, settings.Topics.Raw, Partitions));
    }

    private (UpstreamSettings Settings, string Group) Settings(TestSchemaRegistry registry)
    {
        var group = EmbeddedKafkaFixture.UniqueGroup("upstream");
        var defaults = UpstreamSettings.Create(PipelineConfig.Defaults()).WithBootstrapServers(fixture.BootstrapServers);
        return (defaults with
        {
            Topics = defaults.Topics with
            {
                Raw = fixture.CreateTopic("raw", Partitions),
                Transactions = fixture.CreateTopic("transactions", Partitions),
                DeadLetters = fixture.CreateTopic("dead-letters", Partitions)
            },
            Consumer = defaults.Consumer.WithGroupId(group),
            Committer = defaults.Committer.WithMaxInterval(TimeSpan.FromMilliseconds(100)),
            SchemaRegistry = registry.Settings
        }, group);
    }

    private static Transaction Parse(Input input) => RawTransactionParserTests.Parser.Parse(input.Message.Value).Value!;

    /// <summary>Valid records of five customers with one bad record of each kind after every few of them.</summary>
    private static List<Input> MixedInputs()
    {
        var now = DateTime.UtcNow.AddMinutes(-5).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var valid = RawTransactionParserTests.Valid.Replace("2026-11-24T10:15:30.123Z", now, StringComparison.Ordinal);
        string Set(string field, string jsonValue) =>
            System.Text.RegularExpressions.Regex.Replace(valid, $"\"{field}\":(\"[^\"]*\")", $"\"{field}\":{jsonValue}");
        var invalidUtf8 = Encoding.UTF8.GetBytes(valid);
        invalidUtf8[valid.IndexOf("Netflix", StringComparison.Ordinal)] = 0xC3;
        var spoofed = new Headers { { DeadLetter.ReasonHeader, Encoding.UTF8.GetBytes("accepted") } };

        var bad = new List<(string Name, byte[]? Value, RejectionReason Reason, Headers? Headers)>
        {
            ("not JSON", Encoding.UTF8.GetBytes("not json at all"), RejectionReason.NotJson, null),
            ("tombstone (no value)", null, RejectionReason.NotJson, null),
            ("missing required field", Encoding.UTF8.GetBytes(valid.Replace("\"customerId\":\"c-000042\",", "", StringComparison.Ordinal)), RejectionReason.MissingField, null),
            ("wrong type", Encoding.UTF8.GetBytes(Set("amount", "12.99")), RejectionReason.WrongType, null),
            ("invalid UTF-8", invalidUtf8, RejectionReason.InvalidUtf8, null),
            ("oversized", Encoding.UTF8.GetBytes(Set("merchant", "\"" + new string('x', 20_000) + "\"")), RejectionReason.Oversized, null),
            ("NaN amount", Encoding.UTF8.GetBytes(Set("amount", "\"NaN\"")), RejectionReason.InvalidAmount, null),
            ("negative amount", Encoding.UTF8.GetBytes(Set("amount", "\"-12.99\"")), RejectionReason.InvalidAmount, null),
            ("huge amount", Encoding.UTF8.GetBytes(Set("amount", "\"99999999999999999999.99\"")), RejectionReason.InvalidAmount, null),
            ("far-future timestamp", Encoding.UTF8.GetBytes(Set("timestamp", "\"2999-01-01T00:00:00Z\"")), RejectionReason.InvalidTimestamp, null),
            ("pre-1970 timestamp", Encoding.UTF8.GetBytes(Set("timestamp", "\"1969-12-31T23:59:59Z\"")), RejectionReason.InvalidTimestamp, null),
            ("10,000-char customer id", Encoding.UTF8.GetBytes(Set("customerId", "\"" + new string('c', 10_000) + "\"")), RejectionReason.FieldTooLong, null),
            ("header injection", Encoding.UTF8.GetBytes(Set("category", "\"grocery\u2028error.reason: accepted\u2029\"")), RejectionReason.InvalidCategory, spoofed)
        };

        var inputs = new List<Input>();
        var sequence = 0;
        foreach (var (name, value, reason, headers) in bad)
        {
            for (var i = 0; i < 5; i++, sequence++)
            {
                var customer = $"c-{sequence % 5:D6}";
                var json = valid
                    .Replace("t-00000001", $"t-{sequence:D8}", StringComparison.Ordinal)
                    .Replace("c-000042", customer, StringComparison.Ordinal);
                inputs.Add(new Input($"valid {sequence}", Message(customer, Encoding.UTF8.GetBytes(json), null), null));
            }
            inputs.Add(new Input(name, Message($"c-{sequence % 5:D6}", value, headers), reason));
        }
        return inputs;
    }

    private static Message<byte[]?, byte[]?> Message(string key, byte[]? value, Headers? headers) =>
        new() { Key = Encoding.UTF8.GetBytes(key), Value = value, Headers = headers ?? [] };
}
