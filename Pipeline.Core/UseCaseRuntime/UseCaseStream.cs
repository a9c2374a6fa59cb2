using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.SchemaRegistry;
using Pipeline.Contracts;
using Pipeline.Core.Hosting;
using Pipeline.Core.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Core.Schemas;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// One use case as an independent stream: transactions (its own consumer group) -> <see cref="UseCaseEvaluation"/> (the
/// customer's entity in the use case's shard region, every variant -> feedback records). An input's offset is committed only
/// after its feedback (or its dead letter, when a variant threw) is acknowledged; the state it relies on is the history
/// store, written before the transaction was produced. The live stream and a replay differ only in their settings: group,
/// start position, feedback topic and <see cref="UseCaseStreamSettings.Bounds"/>. A record the stream failed on
/// <c>pipeline.dead-letters.poison-after</c> times (an entity that never answers for it) goes to the dead letters as poison.
/// </summary>
public static class UseCaseStream
{
    /// <summary>Checks the feedback schema against the registry, then starts the stream.</summary>
    /// <param name="variants">The use case's variants (A, and B when it has one).</param>
    /// <param name="region">The use case's shard region (<see cref="UseCaseShardRegion"/>).</param>
    /// <param name="onProcessed">Called after each input is done, in input order per partition.</param>
    /// <param name="partitionListener">Hears the stream's partition assignments (e.g. <see cref="ShardsFollowPartitions"/>).</param>
    /// <param name="poison">The stream's failures per record, kept across its restarts; none counted when null.</param>
    public static async Task<DrainingControl<Done>> RunAsync(
        IReadOnlyList<ConfiguredUseCase> variants, UseCaseStreamSettings settings, IActorRef region, ISchemaRegistryClient registry,
        CustomerSettingsTable customers, IMaterializer materializer, Action<UseCaseProgress>? onProcessed = null, CancellationToken cancellationToken = default,
        IPartitionEventListener? partitionListener = null, PoisonRecords? poison = null)
    {
        var key = variants[0].UseCase.ConfigKey;
        var evaluate = await UseCaseEvaluation.CreateAsync<CommittableOffset>(variants, settings, region, registry, customers, cancellationToken).ConfigureAwait(false);
        var input = settings.Input with { Stage = UseCaseStreamSettings.StageName(key) };
        var consumer = settings.Consumer.WithGroupId(settings.GroupIdFor(key));
        var subscription = Subscription.ForTopics(settings.Topics.Transactions).WithStart(settings.Start);
        if (partitionListener is not null)
            subscription = subscription.WithListener(partitionListener);
        var bounds = settings.Bounds;

        return KafkaSource.CommittableSource<byte[]?, byte[]?>(consumer, subscription)
            .Via(AvroInput.Decode<Transaction>(input, registry, settings.Producer, poison: poison))
            .Select(decoded =>
            {
                var record = decoded.Message.Record;
                var inBounds = bounds is null || bounds.Contains(record.TopicPartition, record.Offset.Value, record.Message.Timestamp);
                var transaction = inBounds ? decoded.Value?.ToCardTransaction() : null;
                return new UseCaseInput<CommittableOffset>(transaction, UseCaseInputOrigin.Of(record), decoded.Offset);
            })
            .Via(evaluate)
            .Select(ICommittable (output) =>
            {
                poison?.Done(output.PassThrough.Offset);
                onProcessed?.Invoke(new UseCaseProgress(output.PassThrough.Offset, output.Timestamp, output.Evaluated is not null, output.Findings));
                return output.PassThrough;
            })
            .ToMaterialized(KafkaCommitter.Sink(settings.Committer), DrainingControl<Done>.Create)
            .Run(materializer);
    }
}
