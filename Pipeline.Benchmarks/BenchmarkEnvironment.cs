using Confluent.SchemaRegistry;
using Pipeline.Core.Configuration;
using Pipeline.Core.Schemas;
using Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;

namespace Pipeline.Benchmarks;

/// <summary>The shipped configuration with a scratch data directory, and the embedded schema registry in it (a real one, on loopback).</summary>
internal sealed class BenchmarkEnvironment : IAsyncDisposable
{
    private readonly EmbeddedSchemaRegistry _registry;

    private BenchmarkEnvironment(string dataDir, PipelineConfig config, EmbeddedSchemaRegistry registry, CachedSchemaRegistryClient client)
    {
        DataDir = dataDir;
        Config = config;
        _registry = registry;
        Client = client;
    }

    public string DataDir { get; }

    public PipelineConfig Config { get; }

    public CachedSchemaRegistryClient Client { get; }

    public SchemaRegistrySettings RegistrySettings => SchemaRegistrySettings.Create(Config) with { Url = _registry.Url };

    public static async Task<BenchmarkEnvironment> StartAsync()
    {
        var dataDir = Directory.CreateTempSubdirectory("pipeline-benchmarks-").FullName;
        var config = PipelineConfig.Load(null, [$"pipeline.data-dir={dataDir}"], new Dictionary<string, string>());
        var registry = await EmbeddedSchemaRegistry.StartAsync(EmbeddedSchemaRegistrySettings.Create(config));
        var client = SchemaRegistryClients.Create(SchemaRegistrySettings.Create(config) with { Url = registry.Url });
        return new BenchmarkEnvironment(dataDir, config, registry, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _registry.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDir, recursive: true); }
        catch (IOException) { /* a scratch directory left behind does no harm */ }
    }
}
