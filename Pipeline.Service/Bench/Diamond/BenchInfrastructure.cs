using Pipeline.Core.Configuration;
using Pipeline.Core.DevelopmentInfrastructure.Kafka;
using Pipeline.Core.Schemas;
using Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;
using Pipeline.Core.UseCases;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>
/// What a whole-diamond benchmark runs on: the embedded Kafka and registry in this process, a topic inspector, and a scratch
/// data directory for the SQLite stores, all removed on dispose.
/// </summary>
internal sealed class BenchInfrastructure : IAsyncDisposable
{
    private readonly Func<IEnumerable<string>, PipelineConfig> _load;

    private BenchInfrastructure(string root, EmbeddedKafka kafka, EmbeddedSchemaRegistry registry, TopicInspector inspector, Func<IEnumerable<string>, PipelineConfig> load)
    {
        _load = load;
        Root = root;
        Kafka = kafka;
        Registry = registry;
        Inspector = inspector;
    }

    /// <summary>The scratch data directory (<c>pipeline.data-dir</c> of every diamond on it).</summary>
    public string Root { get; }

    public EmbeddedKafka Kafka { get; }

    public EmbeddedSchemaRegistry Registry { get; }

    public TopicInspector Inspector { get; }

    /// <param name="load">Loads the configuration with extra --set overrides, as the command was given.</param>
    public static async Task<BenchInfrastructure> StartAsync(Func<IEnumerable<string>, PipelineConfig> load, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("pipeline-bench-").FullName;
        var config = load([$"pipeline.data-dir={root}"]);
        var kafka = EmbeddedKafka.Start(EmbeddedKafkaSettings.Create(config.Section("pipeline.embedded-kafka")));
        try
        {
            var registry = await EmbeddedSchemaRegistry.StartAsync(EmbeddedSchemaRegistrySettings.Create(config), cancellationToken);
            var inspector = new TopicInspector(kafka.BootstrapServers, Core.TopicNames.Create(config.Section("pipeline.topics")).Partitions);
            return new BenchInfrastructure(root, kafka, registry, inspector, load);
        }
        catch
        {
            kafka.Dispose();
            Directory.Delete(root, recursive: true);
            throw;
        }
    }

    /// <summary>A fresh diamond on this Kafka and registry, with topics, groups and a data directory of its own (see <see cref="BenchDiamond.Create"/>).</summary>
    public BenchDiamond CreateDiamond(string id, long records, IReadOnlyList<IUseCase>? extraUseCases = null) =>
        BenchDiamond.Create(_load, Kafka, Registry.Url, Root, id, records, extraUseCases);

    public async ValueTask DisposeAsync()
    {
        Inspector.Dispose();
        await Registry.DisposeAsync();
        Kafka.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* a scratch directory left behind does no harm */ }
    }
}
