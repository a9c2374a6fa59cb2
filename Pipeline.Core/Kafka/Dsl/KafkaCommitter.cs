using Akka;
using Akka.Streams.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Core.Kafka.Stages;

namespace Pipeline.Core.Kafka.Dsl;

/// <summary>Commits offsets in batches: the highest offset per partition, after max-batch records or max-interval.</summary>
public static class KafkaCommitter
{
    /// <summary>Commits and emits each batch once Kafka acknowledged the commit. A failed commit fails the stream.</summary>
    internal static Flow<ICommittable, CommittableOffsetBatch, NotUsed> Flow(CommitterSettings settings) =>
        Akka.Streams.Dsl.Flow.FromGraph(new CommitCollectorStage(settings))
            .SelectAsync(settings.Parallelism, async batch =>
            {
                await batch.CommitAsync().ConfigureAwait(false);
                return batch;
            });

    /// <summary>Commits in batches; the task completes when the last commit is acknowledged.</summary>
    public static Sink<ICommittable, Task<Done>> Sink(CommitterSettings settings) =>
        Flow(settings).ToMaterialized(Akka.Streams.Dsl.Sink.Ignore<CommittableOffsetBatch>(), Keep.Right);
}
