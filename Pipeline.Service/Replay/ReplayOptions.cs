namespace Pipeline.Service.Replay;

/// <summary>What `pipeline replay` was asked to do.</summary>
/// <param name="UseCase">The use case key, e.g. duplicate-charge.</param>
/// <param name="From">The first Kafka timestamp replayed.</param>
/// <param name="To">The last Kafka timestamp replayed (inclusive); null: until caught up.</param>
/// <param name="Group">The consumer group; null: pipeline.replay.group-id-prefix + key + start time.</param>
/// <param name="OutputTopic">Where feedback goes; null: pipeline.replay.output-topic.</param>
internal sealed record ReplayOptions(string UseCase, DateTimeOffset From, DateTimeOffset? To, string? Group, string? OutputTopic);
