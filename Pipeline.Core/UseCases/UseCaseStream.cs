using System.Text;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Pipeline.Contracts;
using Pipeline.Core.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Core.Schemas;
using Pipeline.Core.Sharding;
using Pipeline.Core.Upstream;

namespace Pipeline.Core.UseCases;

/// <summary>
/// One use case as an independent stream: transactions (its own consumer group) -> the customer's entity in the use
/// case's shard region, every variant -> feedback records. An input's offset is committed only after its feedback
/// (or its dead letter, when a variant threw) is acknowledged; the state it relies on is the history store, written
/// before the transaction was produced. Asks keep input order, so each customer's records are applied in order.
/// </summary>
public static class UseCaseStream
{
    /// <summary>Checks the feedback schema against the registry, then starts the stream.</summary>
    /// <param name="variants">The use case's variants (A, and B when it has one).</param>
    /// <param name="region">The use case's shard region (<see cref="UseCaseShardRegion"/>).</param>
    /// <param name="onProcessed">Called after each input is done, with the time since its Kafka timestamp.</param>
    /// <param name="partitionListener">Hears the stream's partition assignments (e.g. <see cref="ShardsFollowPartitions"/>).</param>
    public static async Task<(ConsumerControl Control, Task<Done> Completion)> RunAsync(
        IReadOnlyList<ConfiguredUseCase> variants, UseCaseStreamSettings settings, IActorRef region, ISchemaRegistryClient registry,
        CustomerSettingsTable customers, IMaterializer materializer, Action<TimeSpan>? onProcessed = null, CancellationToken cancellationToken = default,
        IPartitionEventListener? partitionListener = null)
    {
        var useCase = variants[0];
        var key = useCase.UseCase.ConfigKey;
        await SchemaContract.EnsureCompatibleAsync<Feedback>(registry, settings.SchemaRegistry, settings.Topics.Feedback, cancellationToken).ConfigureAwait(false);
        var serializer = AvroSerdes.Serializer<Feedback>(registry, settings.SchemaRegistry);
        var input = settings.Input with { Stage = UseCaseStreamSettings.StageName(key) };
        var consumer = settings.Consumer.WithGroupId(settings.GroupIdPrefix + key);

        var subscription = Subscription.ForTopics(settings.Topics.Transactions);
        if (partitionListener is not null)
            subscription = subscription.WithListener(partitionListener);
        return KafkaSource.CommittableSource<byte[]?, byte[]?>(consumer, subscription)
            .Via(AvroInput.Decode<Transaction>(input, registry, settings.Producer))
            .SelectAsync(settings.AskParallelism, async decoded =>
            {
                if (decoded.Value is not { } transaction)
                    return (decoded, evaluated: (TransactionEvaluated?)null);
                var card = transaction.ToCardTransaction();
                var evaluated = await region.Ask<TransactionEvaluated>(new EvaluateTransaction(card, customers.Get(card.CustomerId)), settings.AskTimeout)
                    .ConfigureAwait(false);
                return (decoded, evaluated: (TransactionEvaluated?)evaluated);
            })
            .SelectAsync(input.Parallelism, step => ToOutputsAsync(step.decoded, step.evaluated, useCase.Name, input, settings.Topics.Feedback, serializer))
            .Via(KafkaProducer.FlexiFlow<byte[]?, byte[]?, Processed>(settings.Producer))
            .Select(ICommittable (results) =>
            {
                Count(useCase.Name, variants.Count, results.PassThrough.Evaluated);
                onProcessed?.Invoke(DateTime.UtcNow - results.PassThrough.InputTimestamp);
                return results.PassThrough.Offset;
            })
            .ToMaterialized(KafkaCommitter.Sink(settings.Committer), Keep.Both)
            .Run(materializer);
    }

    private static async Task<Envelope<byte[]?, byte[]?, Processed>> ToOutputsAsync(
        DecodedRecord<Transaction> decoded, TransactionEvaluated? evaluated, string useCase, AvroInputSettings input, string feedbackTopic,
        AvroSerializer<Feedback> serializer)
    {
        var record = decoded.Message.Record;
        var processed = new Processed(decoded.Offset, evaluated, record.Message.Timestamp.UtcDateTime);
        if (evaluated is null)
            return ProducerMessage.PassThrough<byte[]?, byte[]?, Processed>(processed);

        var messages = new List<(string Topic, Message<byte[]?, byte[]?> Message)>();
        foreach (var outcome in evaluated.Outcomes)
        {
            if (outcome.Feedback is not { } feedback)
                continue;
            var value = await serializer.SerializeAsync(ToContract(feedback), new SerializationContext(MessageComponentType.Value, feedbackTopic)).ConfigureAwait(false);
            messages.Add((feedbackTopic, new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(feedback.CustomerId),
                Value = value,
                // The raw record's timestamp travels on, so downstream measures latency from ingestion.
                Timestamp = record.Message.Timestamp
            }));
        }

        var failures = evaluated.Outcomes.Where(o => o.Failure is not null).Select(o => $"{useCase}/{o.Variant}: {o.Failure}").ToList();
        if (failures.Count > 0)
        {
            var rejection = new Rejection(RejectionReason.UseCaseFailed, string.Join("; ", failures));
            messages.Add((input.DeadLetterTopic, DeadLetter.Create(record, rejection, input.Stage, input.DeadLetters)));
        }
        return messages.Count == 0
            ? ProducerMessage.PassThrough<byte[]?, byte[]?, Processed>(processed)
            : ProducerMessage.Multi(messages, processed);
    }

    private static void Count(string useCase, int variantCount, TransactionEvaluated? evaluated)
    {
        if (evaluated is null)
            return;
        foreach (var outcome in evaluated.Outcomes)
        {
            if (outcome.Feedback is not null)
                ExperimentMetrics.Produced.WithLabels(useCase, outcome.Variant).Inc();
            else if (outcome.Failure is not null)
                DeadLetterMetrics.Default.Count(UseCaseStreamSettings.StageName(UseCaseNames.ToConfigKey(useCase)), RejectionReason.UseCaseFailed);
        }
        if (variantCount == 2 && evaluated.Outcomes.All(o => o.Failure is null))
            ExperimentMetrics.Agreement.WithLabels(useCase, ExperimentMetrics.OutcomeOf(evaluated.Outcomes[0].Feedback is not null, evaluated.Outcomes[1].Feedback is not null)).Inc();
    }

    internal static Feedback ToContract(UseCaseFeedback feedback) => new()
    {
        feedbackId = feedback.FeedbackId,
        useCase = feedback.UseCase,
        variant = feedback.Variant,
        customerId = feedback.CustomerId,
        transactionId = feedback.TransactionId,
        message = feedback.Message,
        timestamp = feedback.Timestamp.UtcDateTime
    };

    /// <summary>An input once its outputs are sent: the offset to commit, what the entity answered, and when the record entered the pipeline.</summary>
    private sealed record Processed(CommittableOffset Offset, TransactionEvaluated? Evaluated, DateTime InputTimestamp);
}
