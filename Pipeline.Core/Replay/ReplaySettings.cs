using Pipeline.Core.Configuration;

namespace Pipeline.Core.Replay;

/// <summary>How <c>pipeline replay</c> runs, from <c>pipeline.replay</c>.</summary>
/// <param name="GroupIdPrefix">A replay's consumer group is this prefix + the use case key + its start time, unless given.</param>
/// <param name="OutputTopic">Where a replay writes its feedback unless told otherwise.</param>
/// <param name="MetadataTimeout">How long reading the partitions' ends at start may take.</param>
public sealed record ReplaySettings(string GroupIdPrefix, string OutputTopic, TimeSpan MetadataTimeout)
{
    public static ReplaySettings Create(PipelineConfig config)
    {
        var replay = config.Section("pipeline.replay");
        return new ReplaySettings(replay.GetString("group-id-prefix"), replay.GetString("output-topic"), replay.GetDuration("metadata-timeout"));
    }

    /// <summary>The default group of a replay of <paramref name="useCaseKey"/> started at <paramref name="startedAt"/>.</summary>
    public string GroupIdFor(string useCaseKey, DateTimeOffset startedAt) =>
        $"{GroupIdPrefix}{useCaseKey}-{startedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}";
}
