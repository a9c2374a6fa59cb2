using Pipeline.Core.Configuration;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Hosting;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Core.Replay;
using Pipeline.Core.Schemas;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>How every use case's stream runs, from <c>pipeline.use-cases.stream</c> and the Kafka sections.</summary>
/// <param name="GroupIdPrefix">A use case's consumer group is this prefix + its key, so each keeps its own offsets.</param>
/// <param name="AskParallelism">Entity asks in flight per stream; answers still leave in input order.</param>
/// <param name="AskTimeout">An entity not answering within this fails the stream, which restarts from the last commit.</param>
/// <param name="PassivateAfter">Entities idle this long stop; their state is rebuilt from history when needed again.</param>
/// <param name="HistoryPageSize">Rows per read when an entity rebuilds its state.</param>
/// <param name="MaxConcurrentRebuilds">Entity rebuild reads running at once against the store on this node, all use cases together.</param>
/// <param name="LatestFindings">How many of the latest findings the admin API, <c>pipeline status</c> and the live view show.</param>
/// <param name="Dispatcher">The dispatcher the use case's entities run on: <see cref="UseCaseDispatcher.Own"/> (one of its own), a configured dispatcher's path, or empty (Akka's default).</param>
public sealed record UseCaseStreamSettings(
    TopicNames Topics,
    string GroupIdPrefix,
    int AskParallelism,
    TimeSpan AskTimeout,
    TimeSpan PassivateAfter,
    int LatestFindings,
    int HistoryPageSize,
    int MaxConcurrentRebuilds,
    string Dispatcher,
    AvroInputSettings Input,
    ConsumerSettings Consumer,
    ProducerSettings Producer,
    CommitterSettings Committer,
    SchemaRegistrySettings SchemaRegistry,
    RestartSettings Restart)
{
    /// <summary>The consumer group of every use case's stream, instead of <see cref="GroupIdPrefix"/> + key (a replay's own group).</summary>
    public string? GroupId { get; init; }

    /// <summary>Where the stream starts reading: the group's committed offsets for the live stream, a time for a replay.</summary>
    public StartPosition Start { get; init; } = StartPosition.Committed;

    /// <summary>Records outside these bounds are read and committed but not evaluated (a replay's end); null: no bounds.</summary>
    public ReplayBounds? Bounds { get; init; }

    /// <summary>The consumer group of the use case <paramref name="useCaseKey"/>'s stream.</summary>
    public string GroupIdFor(string useCaseKey) => GroupId ?? GroupIdPrefix + useCaseKey;

    /// <summary>The stage name of a use case's stream in dead letters and metrics.</summary>
    public static string StageName(string useCaseKey) => $"use-case-{useCaseKey}";

    /// <summary>
    /// Reads <c>pipeline.use-cases.stream</c>; for <paramref name="useCaseKey"/>, its own
    /// <c>pipeline.use-cases.KEY.stream</c> block overrides the shared one key by key.
    /// </summary>
    public static UseCaseStreamSettings Create(PipelineConfig config, string? useCaseKey = null)
    {
        const string shared = "pipeline.use-cases.stream";
        var own = $"pipeline.use-cases.{useCaseKey}.stream";
        var stream = useCaseKey is not null && config.Root.HasPath(own)
            ? new ConfigSection(config.Root.GetConfig(own).WithFallback(config.Root.GetConfig(shared)), own, config.OriginOf)
            : config.Section(shared);
        var reset = stream.GetString("auto-offset-reset");
        if (reset is not ("earliest" or "latest"))
            throw new ConfigurationError(
                $"Setting 'pipeline.use-cases.stream.auto-offset-reset' = '{reset}' (from {config.OriginOf("pipeline.use-cases.stream.auto-offset-reset")}) must be \"earliest\" or \"latest\".");
        var topics = TopicNames.Create(config.Section("pipeline.topics"));
        return new UseCaseStreamSettings(
            topics,
            stream.GetString("group-id-prefix"),
            stream.GetInt("ask-parallelism", 1, 10_000),
            stream.GetDuration("ask-timeout"),
            stream.GetDuration("passivate-after"),
            stream.GetInt("latest-findings", 0, 1_000),
            config.Section("pipeline.store").GetInt("read-page-size", 1, 100_000),
            config.Section("pipeline.store").GetInt("max-concurrent-rebuilds", 1, 10_000),
            ReadDispatcher(config, stream),
            new AvroInputSettings("use-case", topics.DeadLetters, stream.GetInt("avro-parallelism", 1, 1024), DeadLetterSettings.Create(config.Section("pipeline.dead-letters"))),
            ConsumerSettings.Create(config.Section("akka.kafka.consumer")).WithProperty("auto.offset.reset", reset),
            ProducerSettings.Create(config.Section("akka.kafka.producer")),
            CommitterSettings.Create(config.Section("akka.kafka.committer")),
            SchemaRegistrySettings.Create(config),
            RestartSettings.Create(stream.Section("restart")));
    }

    private static string ReadDispatcher(PipelineConfig config, ConfigSection stream)
    {
        var dispatcher = stream.GetString("dispatcher");
        if (dispatcher == UseCaseDispatcher.Own)
        {
            if (!config.Root.HasPath(UseCaseDispatcher.Template))
                throw new ConfigurationError(
                    $"Setting '{stream.Path}.dispatcher' = \"{UseCaseDispatcher.Own}\" makes each use case's dispatcher from '{UseCaseDispatcher.Template}', which is not defined; " +
                    $"define it (e.g. '{UseCaseDispatcher.Template} {{ dedicated-thread-pool.thread-count = 2 }}') or set the dispatcher to \"\".");
            return dispatcher;
        }
        if (dispatcher.Length > 0 && !config.Root.HasPath(dispatcher))
            throw new ConfigurationError(
                $"Setting '{stream.Path}.dispatcher' = '{dispatcher}' names no dispatcher; define it (e.g. '{dispatcher} {{ type = ForkJoinDispatcher, dedicated-thread-pool.thread-count = 2 }}') or use \"own\" or leave it empty.");
        return dispatcher;
    }

    public UseCaseStreamSettings WithBootstrapServers(string servers) => this with
    {
        Consumer = Consumer.WithBootstrapServers(servers),
        Producer = Producer.WithBootstrapServers(servers)
    };

    public UseCaseStreamSettings WithSchemaRegistryUrl(string url) => this with { SchemaRegistry = SchemaRegistry with { Url = url } };

    /// <summary>The same settings writing feedback to <paramref name="topic"/> (a replay's output topic).</summary>
    public UseCaseStreamSettings WithFeedbackTopic(string topic) => this with { Topics = Topics with { Feedback = topic } };
}
