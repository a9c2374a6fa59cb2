using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core;
using Pipeline.Core.Configuration;
using Pipeline.Core.Downstream;
using Pipeline.Core.Generator;
using Pipeline.Core.Hosting;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Core.Storage;
using Pipeline.Core.Upstream;
using Pipeline.Core.UseCases;
using Pipeline.Core.UseCaseRuntime.Python;
using Pipeline.UseCases;

namespace Pipeline.Service.Run;

/// <summary>Everything <c>pipeline run</c> reads from configuration, validated up front (also by --check-config).</summary>
internal sealed record RunSettings(
    string BootstrapServers,
    TopicNames Topics,
    GeneratorSettings Generator,
    UpstreamSettings Upstream,
    IReadOnlyList<ConfiguredUseCase> UseCases,
    UseCaseStreamSettings UseCaseStreams,
    IReadOnlyDictionary<string, UseCaseStreamSettings> UseCaseStreamOverrides,
    DownstreamSettings Downstream,
    HistoryStoreSettings Store,
    ClusterJoinSettings Cluster,
    NodeRoles Roles,
    TimeSpan ProgressRefresh,
    TimeSpan ShutdownTimeout,
    HttpSettings Http,
    ConsoleSettings Console,
    ConsumerSettings Consumer,
    ProducerSettings Producer)
{
    public const string Embedded = "embedded";

    public bool UsesEmbeddedKafka => BootstrapServers == Embedded;

    /// <summary>Every use case the service can run: the C# ones of Pipeline.UseCases, the Python files of <c>pipeline.python.use-cases-dir</c>, and <paramref name="extraUseCases"/>.</summary>
    public static UseCaseRegistry AvailableUseCases(PipelineConfig config, IReadOnlyList<IUseCase>? extraUseCases = null) =>
        UseCaseRegistry.Of(UseCaseRegistry.Discover(UseCasesAssembly.Assembly).All
            .Concat(PythonUseCases.Discover(PythonSettings.Create(config.Section("pipeline.python"))))
            .Concat(extraUseCases ?? []));

    /// <param name="extraUseCases">Use cases offered besides those of Pipeline.UseCases (a benchmark's); they run when enabled.</param>
    public static RunSettings Create(PipelineConfig config, IReadOnlyList<IUseCase>? extraUseCases = null)
    {
        var pipeline = config.Section("pipeline");
        var python = PythonSettings.Create(pipeline.Section("python"));
        var registry = AvailableUseCases(config, extraUseCases);
        var useCases = registry.Configure(pipeline.Section("use-cases"));
        var store = HistoryStoreSettings.Create(config);
        store.EnsureRetains(useCases);
        var instanceId = pipeline.Section("kafka").GetString("group-instance-id");
        var settings = new RunSettings(
            pipeline.Section("kafka").GetString("bootstrap-servers"),
            TopicNames.Create(pipeline.Section("topics")),
            GeneratorSettings.Create(pipeline.Section("generator"), DateTimeOffset.UtcNow),
            UpstreamSettings.Create(config),
            useCases,
            UseCaseStreamSettings.Create(config),
            useCases.Select(u => u.UseCase.ConfigKey).Distinct()
                .Where(key => config.Root.HasPath($"pipeline.use-cases.{key}.stream"))
                .ToDictionary(key => key, key => UseCaseStreamSettings.Create(config, key)),
            DownstreamSettings.Create(config),
            store,
            ClusterJoinSettings.Create(pipeline.Section("cluster")),
            NodeRoles.Create(config.Section("akka.cluster"), useCases.Select(u => u.UseCase.ConfigKey).Distinct().ToList()),
            pipeline.Section("progress").GetDuration("refresh-interval"),
            pipeline.GetDuration("shutdown-timeout"),
            HttpSettings.Create(pipeline.Section("http")),
            ConsoleSettings.Create(pipeline.Section("console")),
            ConsumerSettings.Create(config.Section("akka.kafka.consumer")),
            ProducerSettings.Create(config.Section("akka.kafka.producer")))
        {
            Registry = registry,
            Python = python
        };
        return instanceId.Length == 0 ? settings : settings.WithGroupInstanceId(instanceId);
    }

    /// <summary>
    /// The consumers of the node's stages (upstream, each use case, downstream) as static members of their groups, under
    /// the node's stable name: a node back within the session timeout gets its partitions again at once, with no
    /// rebalance. Each stage has a group of its own, so the one name is unique within every group.
    /// </summary>
    public RunSettings WithGroupInstanceId(string instanceId)
    {
        // Kafka's rule for group.instance.id (the characters of a topic name, at most 249 of them).
        if (instanceId.Length > 249 || !instanceId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw new ConfigurationError(
                $"Setting 'pipeline.kafka.group-instance-id' = '{instanceId}' is not a valid Kafka group.instance.id: use at most 249 " +
                "ASCII letters, digits, '.', '_' and '-' (on Kubernetes the pod name), or \"\" for dynamic membership.");
        const string property = "group.instance.id";
        return this with
        {
            Upstream = Upstream with { Consumer = Upstream.Consumer.WithProperty(property, instanceId) },
            UseCaseStreams = UseCaseStreams with { Consumer = UseCaseStreams.Consumer.WithProperty(property, instanceId) },
            UseCaseStreamOverrides = UseCaseStreamOverrides.ToDictionary(o => o.Key, o => o.Value with { Consumer = o.Value.Consumer.WithProperty(property, instanceId) }),
            Downstream = Downstream with { Consumer = Downstream.Consumer.WithProperty(property, instanceId) }
        };
    }

    /// <summary>Every known use case, C# and Python (replay and backfill configure one of them by key).</summary>
    public UseCaseRegistry Registry { get; private init; } = null!;

    /// <summary>How Python use cases run (<c>pipeline.python</c>).</summary>
    public PythonSettings Python { get; private init; } = null!;

    /// <summary>The stream settings of one use case: its own <c>stream</c> block over the shared one.</summary>
    public UseCaseStreamSettings UseCaseStreamsFor(string key) => UseCaseStreamOverrides.GetValueOrDefault(key) ?? UseCaseStreams;

    /// <summary>
    /// The settings of a command that works next to a running pipeline (replay, backfill): it must reach the same Kafka and
    /// registry, so the embedded ones, which live inside one process, are refused with what to set instead.
    /// </summary>
    public RunSettings RequireExternalInfrastructure(string command)
    {
        if (UsesEmbeddedKafka)
            throw new ConfigurationError(
                $"`pipeline {command}` works on the Kafka the pipeline runs on: set pipeline.kafka.bootstrap-servers to its brokers " +
                "(for a local try, start `pipeline infra` and use the bootstrap.servers it prints).");
        if (Upstream.SchemaRegistry.IsEmbedded)
            throw new ConfigurationError(
                $"`pipeline {command}` needs the schema registry the pipeline uses: set pipeline.schema-registry.url " +
                "(for a local try, the schema.registry.url that `pipeline infra` prints).");
        return WithBootstrapServers(BootstrapServers);
    }

    /// <summary>The stages pointed at the registry actually running (the embedded one's address is known only once it runs).</summary>
    public RunSettings WithSchemaRegistryUrl(string url) => this with
    {
        Upstream = Upstream with { SchemaRegistry = Upstream.SchemaRegistry with { Url = url } },
        UseCaseStreams = UseCaseStreams.WithSchemaRegistryUrl(url),
        UseCaseStreamOverrides = UseCaseStreamOverrides.ToDictionary(o => o.Key, o => o.Value.WithSchemaRegistryUrl(url)),
        Downstream = Downstream.WithSchemaRegistryUrl(url)
    };

    /// <summary>The Kafka settings pointed at the actual brokers (the embedded cluster's address is known only once it runs).</summary>
    public RunSettings WithBootstrapServers(string servers) => this with
    {
        BootstrapServers = servers,
        Upstream = Upstream.WithBootstrapServers(servers),
        UseCaseStreams = UseCaseStreams.WithBootstrapServers(servers),
        UseCaseStreamOverrides = UseCaseStreamOverrides.ToDictionary(o => o.Key, o => o.Value.WithBootstrapServers(servers)),
        Downstream = Downstream.WithBootstrapServers(servers),
        Consumer = Consumer.WithBootstrapServers(servers),
        Producer = Producer.WithBootstrapServers(servers)
    };
}
