using Pipeline.Core.Configuration;

namespace Pipeline.Core.Kafka.Settings;

/// <summary>How offsets are batched before committing, from <c>akka.kafka.committer</c>.</summary>
public sealed record CommitterSettings(int MaxBatch, TimeSpan MaxInterval, int Parallelism)
{
    public static CommitterSettings Create(ConfigSection section) => new(
        section.GetInt("max-batch", 1, 1_000_000),
        section.GetDuration("max-interval"),
        section.GetInt("parallelism", 1, 64));

    public CommitterSettings WithMaxBatch(int value) => this with { MaxBatch = value };

    public CommitterSettings WithMaxInterval(TimeSpan value) => this with { MaxInterval = value };

    public CommitterSettings WithParallelism(int value) => this with { Parallelism = value };
}
