using Confluent.Kafka;
using Confluent.SchemaRegistry.Serdes;
using Pipeline.Contracts;
using Pipeline.Core.Configuration;
using Pipeline.Core.Generator;
using Pipeline.Core.Schemas;
using Pipeline.Core.Storage;
using Pipeline.Core.Storage.Sqlite;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Service.Run;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Diamond;

/// <summary>
/// The whole diamond in this process: a real node (actor system, cluster, sharding, SQLite store, every stage) on the
/// embedded Kafka and a real schema registry, with topics and consumer groups of its own so tests do not meet.
/// </summary>
internal sealed class DiamondHarness : IAsyncDisposable
{
    public const int Partitions = 8;

    private readonly EmbeddedKafkaFixture _kafka;
    private readonly string _dataDir;
    private readonly TestSchemaRegistry _registry;

    private readonly List<PipelineNode> _members = [];

    private DiamondHarness(EmbeddedKafkaFixture kafka, TestSchemaRegistry registry, string dataDir, IReadOnlyList<string> overrides, PipelineConfig config, RunSettings settings)
    {
        _kafka = kafka;
        _registry = registry;
        _dataDir = dataDir;
        Overrides = overrides;
        Config = config;
        Settings = settings;
    }

    /// <summary>The --set overrides the harness runs with (own topics, groups, data directory).</summary>
    public IReadOnlyList<string> Overrides { get; }

    /// <summary>
    /// Command-line arguments that point a `pipeline` child process at this harness: its overrides, this Kafka and this registry,
    /// then <paramref name="extra"/> --set overrides.
    /// </summary>
    public string[] ChildArguments(params string[] extra) =>
        Overrides.Concat([$"pipeline.kafka.bootstrap-servers={Bootstrap}", $"pipeline.schema-registry.url={_registry.Settings.Url}", .. extra])
            .SelectMany(set => new[] { "--set", set }).ToArray();

    /// <summary>The registry client of the harness.</summary>
    public Confluent.SchemaRegistry.ISchemaRegistryClient Registry => _registry.Client;

    public PipelineConfig Config { get; }

    public RunSettings Settings { get; private set; }

    public PipelineNode? Node { get; private set; }

    /// <summary>The cluster members started with <see cref="StartMemberAsync"/> and still running.</summary>
    public IReadOnlyList<PipelineNode> Members => _members;

    public RunStatistics Statistics { get; } = new();

    public string Bootstrap => _kafka.BootstrapServers;

    /// <summary>A harness with its own topics, groups and data directory; <paramref name="overrides"/> are --set style.</summary>
    public static async Task<DiamondHarness> CreateAsync(EmbeddedKafkaFixture kafka, params string[] overrides)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var dataDir = Path.Combine(Path.GetTempPath(), "pipeline-diamond-tests", id);
        string[] sets =
        [
            $"pipeline.data-dir={dataDir}",
            $"pipeline.topics.raw=raw-{id}", $"pipeline.topics.transactions=transactions-{id}", $"pipeline.topics.customer-settings=settings-{id}",
            $"pipeline.topics.feedback=feedback-{id}", $"pipeline.topics.notifications=notifications-{id}", $"pipeline.topics.dead-letters=dead-{id}",
            $"pipeline.topics.partitions={Partitions}",
            $"pipeline.upstream.group-id=upstream-{id}", $"pipeline.downstream.group-id=downstream-{id}",
            $"pipeline.use-cases.stream.group-id-prefix=use-case-{id}-",
            "pipeline.use-cases.stream.auto-offset-reset=earliest",
            "pipeline.use-cases.stream.restart.min-backoff=200ms",
            "pipeline.generator.enabled=off",
            // The generated timeline starts months ago; the wall-clock retention must not expire it mid-test.
            "pipeline.store.retention=3650d",
            .. overrides
        ];
        var config = PipelineConfig.Load(null, sets, new Dictionary<string, string>());
        var registry = await TestSchemaRegistry.StartAsync();
        var settings = RunSettings.Create(config).WithBootstrapServers(kafka.BootstrapServers).WithSchemaRegistryUrl(registry.Settings.Url);
        foreach (var topic in settings.Topics.All)
            kafka.Kafka.CreateTopic(topic, Partitions);
        return new DiamondHarness(kafka, registry, dataDir, sets, config, settings);
    }

    /// <summary>Replaces the use cases the node will run (e.g. with a test use case), all of them on every node.</summary>
    public void UseCases(IReadOnlyList<ConfiguredUseCase> useCases) => Settings = Settings with
    {
        UseCases = useCases,
        Roles = Settings.Roles with { UseCases = useCases.Select(u => u.UseCase.ConfigKey).Distinct().ToList() }
    };

    /// <summary>Changes the settings the node will start with next.</summary>
    public void Adjust(Func<RunSettings, RunSettings> change) => Settings = change(Settings);

    public async Task StartAsync() => Node = await PipelineNode.StartAsync(Config, Settings, Statistics);

    /// <summary>
    /// Starts one more node of a cluster on a fixed loopback port, joining the node on <paramref name="seedPort"/>
    /// (itself for the first). Nodes share the topics, groups and the SQLite store, as pods share Kafka and PostgreSQL.
    /// With <paramref name="roles"/> (values of akka.cluster.roles) the member runs only what they name.
    /// </summary>
    public async Task<PipelineNode> StartMemberAsync(int port, int seedPort, params string[] roles)
    {
        var config = PipelineConfig.Load(null,
        [
            .. Overrides,
            .. roles.Length == 0 ? Array.Empty<string>() : [$"akka.cluster.roles=[{string.Join(", ", roles.Select(r => $"\"{r}\""))}]"],
            $"akka.remote.dot-netty.tcp.port={port}",
            $"akka.cluster.seed-nodes=[\"akka.tcp://pipeline@127.0.0.1:{seedPort}\"]",
            // A node that vanished is downed after a few seconds instead of the production 20 s.
            "akka.cluster.split-brain-resolver.stable-after=3s",
            "akka.cluster.failure-detector.acceptable-heartbeat-pause=2s",
            // Terminating a member's actor system must not leave the cluster on its own: CrashMemberAsync is a crash.
            "akka.coordinated-shutdown.run-by-actor-system-terminate=off"
        ], new Dictionary<string, string>());
        var settings = roles.Length == 0 ? Settings : Settings with { Roles = RunSettings.Create(config).Roles };
        var node = await PipelineNode.StartAsync(config, settings, Statistics);
        _members.Add(node);
        return node;
    }

    /// <summary>Kills a member without leaving the cluster or draining: its streams and actor system just stop.</summary>
    public async Task CrashMemberAsync(PipelineNode node)
    {
        _members.Remove(node);
        await node.DisposeAsync();
    }

    /// <summary>A member leaves gracefully: drain, commit, hand over shards, leave.</summary>
    public async Task LeaveMemberAsync(PipelineNode node)
    {
        _members.Remove(node);
        await node.StopAsync(TimeSpan.FromSeconds(30));
        await node.DisposeAsync();
    }

    public async Task StopAsync()
    {
        foreach (var member in _members.ToList())
            await LeaveMemberAsync(member);
        if (Node is null)
            return;
        await Node.StopAsync(TimeSpan.FromSeconds(20));
        await Node.DisposeAsync();
        Node = null;
    }

    /// <summary>
    /// Writes raw records to the raw topic (murmur2, idempotent), all acknowledged when this returns. With
    /// <paramref name="timestampsFrom"/> the i-th record's Kafka timestamp is that time + i ms (otherwise the producer's clock).
    /// </summary>
    public void ProduceRaw(IEnumerable<GeneratedRecord> records, DateTimeOffset? timestampsFrom = null)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = Bootstrap,
            Partitioner = Partitioner.Murmur2Random,
            EnableIdempotence = true,
            LingerMs = 20,
            CompressionType = CompressionType.Zstd
        }).Build();
        Exception? failure = null;
        var index = 0;
        foreach (var record in records)
        {
            var timestamp = timestampsFrom is { } from ? new Timestamp(from.AddMilliseconds(index++)) : Timestamp.Default;
            var message = new Message<string, byte[]> { Key = record.Key, Value = record.Value, Timestamp = timestamp };
            while (true)
            {
                try
                {
                    producer.Produce(Settings.Topics.Raw, message, report => { if (report.Error.IsError) failure ??= new KafkaException(report.Error); });
                    break;
                }
                catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // More records than the client queues at once (hundreds of thousands): wait for deliveries, then go on.
                    producer.Poll(TimeSpan.FromMilliseconds(100));
                }
            }
        }
        producer.Flush(TimeSpan.FromSeconds(60));
        if (failure is not null)
            throw failure;
    }

    /// <summary>Writes one customer's settings to the compacted customer-settings topic, Avro through the registry.</summary>
    public async Task ProduceCustomerSettingsAsync(Contracts.CustomerSettings settings)
    {
        using var producer = new ProducerBuilder<string, Contracts.CustomerSettings>(new ProducerConfig { BootstrapServers = Bootstrap, Partitioner = Partitioner.Murmur2Random })
            .SetValueSerializer(AvroSerdes.Serializer<Contracts.CustomerSettings>(_registry.Client, Settings.Upstream.SchemaRegistry))
            .Build();
        await producer.ProduceAsync(Settings.Topics.CustomerSettings, new Message<string, Contracts.CustomerSettings> { Key = settings.customerId, Value = settings });
    }

    /// <summary>Every notification on the topic, decoded, once <paramref name="expected"/> arrived and the topic stayed quiet.</summary>
    public async Task<List<Notification>> ReadNotificationsAsync(int expected, TimeSpan timeout) =>
        (await ReadAsync<Notification>(Settings.Topics.Notifications, expected, timeout)).Select(r => r.Value).ToList();

    /// <summary>Every record on an Avro topic, decoded, with its Kafka timestamp, once <paramref name="expected"/> arrived and the topic stayed quiet.</summary>
    public async Task<List<(T Value, DateTime Timestamp)>> ReadAsync<T>(string topic, int expected, TimeSpan timeout) where T : class, Avro.Specific.ISpecificRecord =>
        (await ReadWithPositionsAsync<T>(topic, expected, timeout)).Select(r => (r.Value, r.Timestamp)).ToList();

    /// <summary>As <see cref="ReadAsync{T}"/>, with where each record sits on the topic.</summary>
    public async Task<List<(T Value, DateTime Timestamp, TopicPartitionOffset Position)>> ReadWithPositionsAsync<T>(string topic, int expected, TimeSpan timeout)
        where T : class, Avro.Specific.ISpecificRecord
    {
        var records = Support.BinaryTopic.ReadAll(Bootstrap, topic, expected, timeout);
        var deserializer = new AvroDeserializer<T>(_registry.Client);
        var values = new List<(T, DateTime, TopicPartitionOffset)>();
        foreach (var record in records)
            values.Add((await deserializer.DeserializeAsync(record.Message.Value, false, new SerializationContext(MessageComponentType.Value, record.Topic)),
                record.Message.Timestamp.UtcDateTime, record.TopicPartitionOffset));
        return values;
    }

    /// <summary>The (customer, record id) of every row in the history store's records table for <paramref name="customers"/>, read through the store.</summary>
    public async Task<List<(string Customer, string Id)>> StoredRecordsAsync(IEnumerable<string> customers)
    {
        await using var store = new SqliteHistoryStore(Settings.Store.Sqlite);
        await store.InitializeAsync();
        var stored = new List<(string Customer, string Id)>();
        foreach (var customer in customers)
        {
            var query = new HistoryQuery(HistoryTable.Records, customer, DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1));
            HistoryCursor? after = null;
            do
            {
                var page = await store.ReadPageAsync(query, after, 1000);
                stored.AddRange(page.Rows.Select(r => (r.CustomerId, r.Id)));
                after = page.Next;
            } while (after is not null);
        }
        return stored;
    }

    /// <summary>Waits until the use-case streams finished <paramref name="count"/> inputs each.</summary>
    public Task WaitForUseCasesAsync(long count, TimeSpan timeout) =>
        WaitForStagesAsync(Settings.UseCases.Select(u => UseCaseStreamSettings.StageName(u.UseCase.ConfigKey)).Distinct().ToList(), count, timeout);

    /// <summary>Waits until the stream <paramref name="stage"/> finished <paramref name="count"/> inputs.</summary>
    public Task WaitForStageAsync(string stage, long count, TimeSpan timeout) => WaitForStagesAsync([stage], count, timeout);

    private async Task WaitForStagesAsync(IReadOnlyList<string> stages, long count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (stages.Any(s => Statistics.ProcessedBy(s) < count))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("use cases processed only " + string.Join(", ", stages.Select(s => $"{s}={Statistics.ProcessedBy(s)}")) + $" of {count}");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _registry.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDir, recursive: true); }
        catch (IOException) { /* a temp directory left behind does no harm */ }
    }
}
