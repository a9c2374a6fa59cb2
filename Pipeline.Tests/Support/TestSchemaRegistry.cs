using Confluent.SchemaRegistry;
using Pipeline.Core.Configuration;
using Pipeline.Core.Schemas;
using Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;

namespace Pipeline.Tests.Support;

/// <summary>An embedded registry on a free port with its own SQLite file, and a real Confluent client pointed at it.</summary>
public sealed class TestSchemaRegistry : IAsyncDisposable
{
    private readonly bool _ownsDirectory;

    private TestSchemaRegistry(EmbeddedSchemaRegistry registry, SchemaRegistrySettings settings, string directory, bool ownsDirectory)
    {
        Registry = registry;
        Settings = settings;
        Directory = directory;
        _ownsDirectory = ownsDirectory;
        Client = SchemaRegistryClients.Create(settings);
        Http = new HttpClient { BaseAddress = new Uri(registry.Url + "/") };
    }

    public EmbeddedSchemaRegistry Registry { get; }

    /// <summary>The shipped defaults with the URL of this registry.</summary>
    public SchemaRegistrySettings Settings { get; }

    /// <summary>The folder holding the SQLite file.</summary>
    public string Directory { get; }

    public CachedSchemaRegistryClient Client { get; }

    /// <summary>A plain HTTP client on the registry, for calls the Confluent client does not make.</summary>
    public HttpClient Http { get; }

    /// <summary>Starts a registry; pass the <see cref="Directory"/> of a stopped one to reopen its store.</summary>
    public static async Task<TestSchemaRegistry> StartAsync(string? directory = null, Func<SchemaRegistrySettings, SchemaRegistrySettings>? adjust = null)
    {
        var owns = directory is null;
        directory ??= System.IO.Directory.CreateTempSubdirectory("schema-registry-test-").FullName;
        var defaults = SchemaRegistrySettings.Create(PipelineConfig.Defaults());
        var embedded = defaults.Embedded with { DatabasePath = Path.Combine(directory, "registry.db") };
        var registry = await EmbeddedSchemaRegistry.StartAsync(embedded);
        var settings = defaults with { Url = registry.Url, Embedded = embedded };
        return new TestSchemaRegistry(registry, adjust?.Invoke(settings) ?? settings, directory, owns);
    }

    /// <summary>Stops the registry but keeps its file, so a new one can be started on it.</summary>
    public async Task StopKeepingStoreAsync()
    {
        Client.Dispose();
        Http.Dispose();
        await Registry.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopKeepingStoreAsync();
        if (_ownsDirectory)
        {
            try { System.IO.Directory.Delete(Directory, recursive: true); }
            catch (IOException) { }
        }
    }
}
