using System.Globalization;
using System.Text;
using Akka.Streams;
using Confluent.Kafka;
using Pipeline.Core.Configuration;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Storage;
using Pipeline.Core.Storage.PostgreSql;
using Pipeline.Core.Upstream;
using Pipeline.Tests.Storage;
using Pipeline.Tests.Support;
using Prometheus;
using Xunit.Abstractions;

namespace Pipeline.Tests.Upstream;

/// <summary>
/// Upstream on the embedded Kafka against each real store: a transaction id reused with other content is dead-lettered
/// as a conflicting duplicate and never produced, an exact repeat still goes through, a record far older than the stream
/// time is refused, and a record stored just before a crash replays as an exact repeat.
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class StoredDuplicateTests(EmbeddedKafkaFixture fixture, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private const int Partitions = 2;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Stores => ["sqlite", "postgresql"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_reused_id_with_other_content_is_dead_lettered_an_exact_repeat_goes_through_and_a_1970_record_is_refused(string provider)
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        await using var store = await OpenStoreAsync(provider);
        var (settings, group) = Settings(registry);
        var metrics = new DeadLetterMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
        var at = DateTime.UtcNow.AddMinutes(-5);
        Message<byte[]?, byte[]?>[] inputs =
        [
            Raw("t-dup-1", "10.00", at),
            Raw("t-dup-1", "999.00", at),
            Raw("t-dup-1", "10.00", at),
            Raw("t-old", "5.00", new DateTime(1970, 1, 2, 0, 0, 0, DateTimeKind.Utc)),
            Raw("t-2", "20.00", at.AddSeconds(1))
        ];

        // The first record is stored before the others arrive: which of two records of one key written in concurrent
        // batches is kept depends on which batch commits first (docs/reliability.md).
        var positions = await BinaryTopic.ProduceAsync(fixture.BootstrapServers, settings.Topics.Raw, inputs[..1]);
        var running = await UpstreamStream.RunAsync(settings, registry.Client, store.Store, Sys.Materializer(), metrics);
        await AwaitConditionAsync(() => Task.FromResult(TopicReader.CommittedTotal(fixture.BootstrapServers, group, settings.Topics.Raw, Partitions) == 1),
            Timeout, TimeSpan.FromMilliseconds(200));
        positions.AddRange(await BinaryTopic.ProduceAsync(fixture.BootstrapServers, settings.Topics.Raw, inputs[1..]));
        await AwaitConditionAsync(() => Task.FromResult(TopicReader.CommittedTotal(fixture.BootstrapServers, group, settings.Topics.Raw, Partitions) == inputs.Length),
            Timeout, TimeSpan.FromMilliseconds(200));
        await running.DrainAndShutdown().WaitAsync(Timeout);

        // The first record and its exact repeat are produced (the repeat as before: idempotent downstream), the conflict is not.
        var transactions = BinaryTopic.ReadAll(fixture.BootstrapServers, settings.Topics.Transactions, 3, Timeout);
        var letters = BinaryTopic.ReadAll(fixture.BootstrapServers, settings.Topics.DeadLetters, 2, TimeSpan.FromSeconds(1));
        Assert.True(transactions.Count == 3,
            $"{transactions.Count} transactions; dead letters: {string.Join("; ", letters.Select(d => BinaryTopic.Header(d, DeadLetter.MessageHeader)))}");
        Assert.All(transactions.Take(2), t => Assert.Equal(transactions[0].Message.Value, t.Message.Value));

        var deadLetters = BinaryTopic.ReadAll(fixture.BootstrapServers, settings.Topics.DeadLetters, 2, Timeout);
        Assert.Equal(2, deadLetters.Count);
        var conflict = Assert.Single(deadLetters, d => BinaryTopic.Header(d, DeadLetter.ReasonHeader) == "conflicting-duplicate");
        Assert.Equal(inputs[1].Value, conflict.Message.Value);
        Assert.Equal(positions[1].Offset.Value.ToString(CultureInfo.InvariantCulture), BinaryTopic.Header(conflict, DeadLetter.SourceOffsetHeader));
        var message = BinaryTopic.Header(conflict, DeadLetter.MessageHeader);
        Assert.Contains("'t-dup-1'", message, StringComparison.Ordinal);
        Assert.Contains("already stored with different content", message, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}$", BinaryTopic.Header(conflict, ConflictingDuplicate.StoredSha256Header));
        Assert.NotEqual(BinaryTopic.Header(conflict, ConflictingDuplicate.StoredSha256Header), BinaryTopic.Header(conflict, ConflictingDuplicate.OfferedSha256Header));

        var old = Assert.Single(deadLetters, d => BinaryTopic.Header(d, DeadLetter.ReasonHeader) == "invalid-timestamp");
        Assert.Contains("pipeline.upstream.max-event-age", BinaryTopic.Header(old, DeadLetter.MessageHeader), StringComparison.Ordinal);
        Assert.Contains("70 days", BinaryTopic.Header(old, DeadLetter.MessageHeader), StringComparison.Ordinal);

        Assert.Equal(1, metrics.Value(UpstreamSettings.StageName, RejectionReason.ConflictingDuplicate));
        Assert.Equal(1, metrics.Value(UpstreamSettings.StageName, RejectionReason.InvalidTimestamp));
        // The store keeps the first content and no row of the refused old record.
        var rows = await ReadRecordsAsync(store.Store, "c-000042");
        Assert.Equal(["t-2", "t-dup-1"], rows.Select(r => r.Id).Order());
        Assert.Equal(transactions[0].Message.Value, rows.Single(r => r.Id == "t-dup-1").Payload);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_record_stored_just_before_a_crash_is_produced_after_the_restart_as_an_exact_repeat(string provider)
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        await using var store = await OpenStoreAsync(provider);
        var crashing = new CountingHistoryStore(store.Store);
        var (settings, group) = Settings(registry);
        var metrics = new DeadLetterMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry()));
        await BinaryTopic.ProduceAsync(fixture.BootstrapServers, settings.Topics.Raw, [Raw("t-1", "10.00", DateTime.UtcNow.AddMinutes(-1))]);

        // The first run stores the record and dies before producing or committing it.
        crashing.CrashAfterNextStore();
        var crashed = (await UpstreamStream.RunAsync(settings, registry.Client, crashing, Sys.Materializer(), metrics)).Completion;
        var crash = await Record.ExceptionAsync(() => crashed.WaitAsync(Timeout));
        // The stream's completion carries the failure as it is or wrapped, depending on where the stage stopped.
        Assert.True(crash is CountingHistoryStore.ProcessCrashed ||
                    crash is AggregateException wrapped && wrapped.Flatten().InnerExceptions.Any(e => e is CountingHistoryStore.ProcessCrashed),
            $"the stream failed otherwise: {crash}");
        Assert.Single(await ReadRecordsAsync(store.Store, "c-000042"));
        Assert.Equal(0, TopicReader.EndOffsetsTotal(fixture.BootstrapServers, settings.Topics.Transactions, Partitions));
        Assert.Equal(0, TopicReader.CommittedTotal(fixture.BootstrapServers, group, settings.Topics.Raw, Partitions));

        // The restarted stream reads the record again, meets its own stored row, and produces it.
        var running = await UpstreamStream.RunAsync(settings, registry.Client, crashing, Sys.Materializer(), metrics);
        await AwaitConditionAsync(() => Task.FromResult(TopicReader.CommittedTotal(fixture.BootstrapServers, group, settings.Topics.Raw, Partitions) == 1),
            Timeout, TimeSpan.FromMilliseconds(200));
        await running.DrainAndShutdown().WaitAsync(Timeout);

        Assert.Single(BinaryTopic.ReadAll(fixture.BootstrapServers, settings.Topics.Transactions, 1, Timeout));
        Assert.Equal(0, TopicReader.EndOffsetsTotal(fixture.BootstrapServers, settings.Topics.DeadLetters, Partitions));
        Assert.Equal(0, metrics.Value(UpstreamSettings.StageName, RejectionReason.ConflictingDuplicate));
    }

    private sealed class OpenedStore(IHistoryStore store, Func<ValueTask> dispose) : IAsyncDisposable
    {
        public IHistoryStore Store => store;
        public ValueTask DisposeAsync() => dispose();
    }

    private static async Task<OpenedStore> OpenStoreAsync(string provider)
    {
        if (provider == "sqlite")
        {
            var sqlite = await TempHistoryStore.CreateAsync();
            return new OpenedStore(sqlite.Store, sqlite.DisposeAsync);
        }
        var schema = await TestPostgres.CreateSchemaAsync("upstream_dup");
        var postgres = new PostgreSqlHistoryStore(new PostgreSqlStoreSettings(TestPostgres.ConnectionString, schema));
        await postgres.InitializeAsync();
        return new OpenedStore(postgres, async () =>
        {
            await postgres.DisposeAsync();
            await TestPostgres.DropSchemaAsync(schema);
        });
    }

    private static async Task<List<HistoryRow>> ReadRecordsAsync(IHistoryStore store, string customer) =>
        await TestRows.ReadAllAsync(store, new HistoryQuery(HistoryTable.Records, customer, DateTimeOffset.UnixEpoch, new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    private (UpstreamSettings Settings, string Group) Settings(TestSchemaRegistry registry)
    {
        var group = EmbeddedKafkaFixture.UniqueGroup("upstream-dup");
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

    private static Message<byte[]?, byte[]?> Raw(string id, string amount, DateTime at)
    {
        var json = RawTransactionParserTests.Valid
            .Replace("t-00000001", id, StringComparison.Ordinal)
            .Replace("\"amount\":\"12.99\"", $"\"amount\":\"{amount}\"", StringComparison.Ordinal)
            .Replace("2026-11-24T10:15:30.123Z", at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes("c-000042"), Value = Encoding.UTF8.GetBytes(json), Headers = [] };
    }
}
