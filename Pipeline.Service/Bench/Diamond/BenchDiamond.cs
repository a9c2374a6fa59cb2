using System.Globalization;
using Confluent.Kafka;
using Pipeline.Core.Configuration;
using Pipeline.Core.Generator;
using Pipeline.Core.DevelopmentInfrastructure.Kafka;
using Pipeline.Core.Storage;
using Pipeline.Core.Upstream;
using Pipeline.Core.UseCases;
using Pipeline.Service.Run;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>
/// One whole diamond as <c>pipeline run</c> starts it (a real <see cref="PipelineNode"/>: cluster, sharding, SQLite store,
/// every stage), with topics, consumer groups and a data directory of its own on the shared embedded Kafka and registry,
/// so runs do not meet. Use cases start from the earliest transaction, and the generator's timeline is stretched so that
/// every record lies in the past (upstream refuses future timestamps).
/// </summary>
internal sealed class BenchDiamond : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    private readonly string _dataDir;
    private readonly Func<IEnumerable<string>, PipelineConfig> _load;
    private readonly Func<PipelineConfig, RunSettings> _settings;
    private readonly IReadOnlyList<string> _overrides;

    private BenchDiamond(PipelineConfig config, RunSettings settings, string dataDir, string id, IReadOnlyList<string> overrides,
        Func<IEnumerable<string>, PipelineConfig> load, Func<PipelineConfig, RunSettings> settingsOf)
    {
        _overrides = overrides;
        Config = config;
        Settings = settings;
        _dataDir = dataDir;
        Id = id;
        _load = load;
        _settings = settingsOf;
    }

    public string Id { get; }

    /// <summary>
    /// The --set overrides that make <c>pipeline run</c> in another process a node of this diamond: its own topics, groups
    /// and data directory, this Kafka and registry, and a free HTTP port.
    /// </summary>
    public IReadOnlyList<string> NodeProcessOverrides =>
    [
        .. _overrides,
        $"pipeline.kafka.bootstrap-servers={Settings.BootstrapServers}",
        $"pipeline.schema-registry.url={Settings.Upstream.SchemaRegistry.Url}",
        "pipeline.http.port=0"
    ];

    public PipelineConfig Config { get; private set; }

    public RunSettings Settings { get; private set; }

    public PipelineNode? Node { get; private set; }

    public RunStatistics Statistics { get; } = new();

    public IReadOnlyList<string> UseCaseKeys => Settings.UseCases.Select(u => u.UseCase.ConfigKey).Distinct().ToList();

    /// <summary>Creates the diamond's topics; <paramref name="load"/> turns --set style overrides into the configuration.</summary>
    /// <param name="records">How many generator records the run will write, to stretch the timeline over.</param>
    /// <param name="extraUseCases">Use cases besides the reference ones that <c>pipeline.use-cases.enabled</c> may list.</param>
    public static BenchDiamond Create(Func<IEnumerable<string>, PipelineConfig> load, EmbeddedKafka kafka, string registryUrl, string rootDir, string id, long records,
        IReadOnlyList<IUseCase>? extraUseCases = null)
    {
        var generator = GeneratorSettings.Create(load([]).Section("pipeline.generator"), DateTimeOffset.UtcNow);
        // At least one simulated day per customers x purchases-per-day-min records, so the last record is before now.
        var days = Math.Max(90, (long)Math.Ceiling(records / (generator.Customers * generator.PurchasesPerDayMin)) + 2);
        var dataDir = Path.Combine(rootDir, id);
        string[] sets =
        [
            $"pipeline.data-dir={dataDir}",
            $"pipeline.topics.raw=raw-{id}", $"pipeline.topics.transactions=transactions-{id}", $"pipeline.topics.customer-settings=settings-{id}",
            $"pipeline.topics.feedback=feedback-{id}", $"pipeline.topics.notifications=notifications-{id}", $"pipeline.topics.dead-letters=dead-{id}",
            $"pipeline.upstream.group-id=upstream-{id}", $"pipeline.downstream.group-id=downstream-{id}",
            $"pipeline.use-cases.stream.group-id-prefix=use-case-{id}-",
            "pipeline.use-cases.stream.auto-offset-reset=earliest",
            "pipeline.generator.enabled=off",
            string.Create(CultureInfo.InvariantCulture, $"pipeline.generator.start-before-now={days}d"),
            // The timeline starts long ago; the wall-clock retention must not drop it while the run reads it.
            "pipeline.store.retention=36500d",
            // Used when the store is PostgreSQL (--set pipeline.store.provider=postgresql): dropped again on dispose.
            $"pipeline.store.postgresql.schema={ScratchSchema(id)}"
        ];
        var config = load(sets);
        RunSettings Configure(PipelineConfig c) =>
            RunSettings.Create(c, extraUseCases).WithBootstrapServers(kafka.BootstrapServers).WithSchemaRegistryUrl(registryUrl);
        var settings = Configure(config);
        foreach (var topic in settings.Topics.All)
            kafka.CreateTopic(topic, settings.Topics.Partitions);
        return new BenchDiamond(config, settings, dataDir, id, sets, more => load(sets.Concat(more)), Configure);
    }

    /// <summary>
    /// The configuration the next <see cref="StartAsync"/> uses: the diamond's own plus <paramref name="overrides"/> (--set style),
    /// e.g. other use cases or consumer groups over the same topics and store. Only while no node runs.
    /// </summary>
    public void Reconfigure(params string[] overrides)
    {
        if (Node is not null)
            throw new InvalidOperationException("stop the diamond before reconfiguring it");
        Config = _load(overrides);
        Settings = _settings(Config);
    }

    /// <summary>
    /// Writes the generator's first <paramref name="count"/> records to the raw topic (zstd, large batches) and checks that
    /// the embedded broker kept every one; returns the time the writing took.
    /// </summary>
    /// <param name="option">The command's option that sets <paramref name="count"/>, for the error message.</param>
    public TimeSpan WriteBacklog(TopicInspector inspector, int count, string option)
    {
        var took = InputFeeder.Fill(Settings.Producer.ToProducerConfig(), Settings.Producer.FlushTimeout, Settings.Topics.Raw, RawRecords().Take(count));
        var raw = inspector.Watermarks(Settings.Topics.Raw);
        if (raw.LostRecords || raw.Retained != count)
            throw new InvalidOperationException(
                $"the embedded broker kept {raw.Retained:N0} of {count:N0} raw records (low watermarks {string.Join(", ", raw.Low)}): it drops the oldest " +
                $"data beyond about 5 MiB or 100,000 batches per partition. Use a smaller {option} or more partitions (--set pipeline.topics.partitions=16).");
        return took;
    }

    /// <summary>The generator's records as raw Kafka messages (key = customer id, JSON value).</summary>
    public IEnumerable<Message<string, byte[]>> RawRecords() =>
        TransactionGenerator.Create(Settings.Generator).Records().Select(r => new Message<string, byte[]> { Key = r.Key, Value = r.Value });

    public async Task StartAsync() => Node = await PipelineNode.StartAsync(Config, Settings, Statistics);

    public async Task StopAsync()
    {
        if (Node is null)
            return;
        await Node.StopAsync(TimeSpan.FromSeconds(20));
        await Node.DisposeAsync();
        Node = null;
    }

    /// <summary>
    /// Waits until upstream has processed <paramref name="rawRecords"/> and every stage has committed everything the stage
    /// before it wrote. Returns the counts and the time from upstream's first processed record to the last commit.
    /// </summary>
    public async Task<DrainResult> WaitForDrainAsync(TopicInspector inspector, long rawRecords, DateTime startedAt, CancellationToken cancellationToken)
    {
        var upstream = UpstreamSettings.StageName;
        await UntilAsync(() => Statistics.ProcessedBy(upstream) > 0, () => 0, "upstream's first record", cancellationToken);
        var first = DateTime.UtcNow;
        await UntilAsync(() => Statistics.ProcessedBy(upstream) >= rawRecords, () => Statistics.ProcessedBy(upstream),
            $"upstream processing {rawRecords} raw records", cancellationToken);
        return await WaitForCommittedEndsAsync(inspector, rawRecords, startedAt, first, cancellationToken);
    }

    /// <summary>
    /// Waits until every stage's consumer group has committed the end of its input: upstream the raw topic, each use case
    /// the transactions topic, downstream the feedback topic. It reads only Kafka, so it works whichever processes run
    /// the stages. Returns the counts and the time from <paramref name="first"/> to the last commit.
    /// </summary>
    /// <param name="startedAt">When the node(s) started; <paramref name="first"/> - this is reported as start-up.</param>
    public async Task<DrainResult> WaitForCommittedEndsAsync(TopicInspector inspector, long rawRecords, DateTime startedAt, DateTime first, CancellationToken cancellationToken)
    {
        var topics = Settings.Topics;
        await UntilCommittedAsync(inspector, topics.Raw, Settings.Upstream.Consumer.GroupId!, cancellationToken);
        foreach (var key in UseCaseKeys)
            await UntilCommittedAsync(inspector, topics.Transactions, Settings.UseCaseStreams.GroupIdPrefix + key, cancellationToken);
        await UntilCommittedAsync(inspector, topics.Feedback, Settings.Downstream.Consumer.GroupId!, cancellationToken);
        var elapsed = DateTime.UtcNow - first;

        var lost = new[] { topics.Raw, topics.Transactions, topics.Feedback }.Where(t => inspector.Watermarks(t).LostRecords).ToList();
        return new DrainResult(rawRecords, inspector.Watermarks(topics.Transactions).Appended, inspector.Watermarks(topics.DeadLetters).Appended,
            inspector.Watermarks(topics.Feedback).Appended, inspector.Watermarks(topics.Notifications).Appended, first - startedAt, elapsed,
            lost.Count == 0 ? null : $"the embedded broker dropped old records of {string.Join(", ", lost)} (its per-partition retention)");
    }

    private async Task UntilCommittedAsync(TopicInspector inspector, string topic, string groupId, CancellationToken cancellationToken)
    {
        var end = inspector.Watermarks(topic).High;
        // A partition that never received a record has nothing committed (-1).
        bool AtEnd() => inspector.Committed(topic, groupId).Select((offset, p) => offset == end[p] || (end[p] == 0 && offset < 0)).All(x => x);
        await UntilAsync(AtEnd, () => inspector.Committed(topic, groupId).Sum(),
            $"group {groupId} committing the end of {topic}", cancellationToken);
    }

    /// <summary>Polls <paramref name="done"/>; fails when <paramref name="progress"/> has not changed for the stall timeout or a stream stopped for good.</summary>
    private async Task UntilAsync(Func<bool> done, Func<long> progress, string what, CancellationToken cancellationToken)
    {
        var seen = long.MinValue;
        var lastProgress = DateTime.UtcNow;
        while (!done())
        {
            var now = progress();
            if (now != seen)
            {
                seen = now;
                lastProgress = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - lastProgress > StallTimeout)
            {
                var streams = Node is null ? "" : "; streams: " + string.Join(", ", Node.Streams.Select(s => $"{s.Name} {s.State}"));
                throw new TimeoutException($"no progress for {StallTimeout.TotalSeconds:F0} s while waiting for {what} (at {seen}){streams}. " +
                                           "If a topic lost records to the embedded broker's retention, use fewer --records or more partitions.");
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static string ScratchSchema(string id) => "bench_" + id.Replace('-', '_');

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Settings.Store.Provider == StoreProvider.PostgreSql)
        {
            await using var connection = new Npgsql.NpgsqlConnection(Settings.Store.PostgreSql.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS {ScratchSchema(Id)} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDir, recursive: true); }
        catch (IOException) { /* a scratch directory left behind does no harm */ }
    }
}

/// <summary>What one drain of the diamond did and how long it took.</summary>
/// <param name="StartUp">From the node's start to upstream's first processed record.</param>
/// <param name="Elapsed">From upstream's first processed record to the last stage's last commit.</param>
/// <param name="Problem">Why the counts cannot be trusted, or null.</param>
internal sealed record DrainResult(long Raw, long Transactions, long DeadLetters, long Feedback, long Notifications, TimeSpan StartUp, TimeSpan Elapsed, string? Problem)
{
    public double PerSecond => Raw / Elapsed.TotalSeconds;
}
