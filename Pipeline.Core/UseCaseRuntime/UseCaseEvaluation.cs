using System.Text;
using Akka;
using Akka.Actor;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Pipeline.Contracts;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Hosting;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Schemas;
using Pipeline.Core.Tracing;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// The heart of a use case's stream, whatever feeds it (Kafka live or replayed, or the history store in a backfill): each
/// transaction goes to the customer's entity in the use case's shard region, and what every variant reported goes to the
/// feedback topic (a variant that threw: the input to the dead letters). Asks keep input order, so each customer's records are
/// applied in order; an input leaves only once all its records are acknowledged. An entity that does not answer in time, or a
/// feedback record Kafka refuses, fails the flow with a <see cref="RecordFailedException"/> naming the input, so the stream's
/// supervisor can tell a record that always fails it (see <see cref="PoisonRecords"/>).
/// </summary>
public static class UseCaseEvaluation
{
    /// <summary>Checks the feedback schema against the registry, then builds the flow.</summary>
    /// <param name="variants">The use case's variants (A, and B when it has one).</param>
    /// <param name="settings">Ask parallelism and timeout, the feedback topic (<c>Topics.Feedback</c>), producer and registry settings.</param>
    /// <param name="region">The use case's shard region (<see cref="UseCaseShardRegion"/>).</param>
    public static async Task<Flow<UseCaseInput<TPass>, UseCaseOutput<TPass>, NotUsed>> CreateAsync<TPass>(
        IReadOnlyList<ConfiguredUseCase> variants, UseCaseStreamSettings settings, IActorRef region, ISchemaRegistryClient registry,
        CustomerSettingsTable customers, CancellationToken cancellationToken = default)
    {
        var feedbackTopic = settings.Topics.Feedback;
        var encoder = await AvroValueEncoder<Feedback>.CreateAsync(registry, settings.SchemaRegistry, feedbackTopic, cancellationToken).ConfigureAwait(false);
        var useCase = variants[0].Name;
        var input = settings.Input with { Stage = UseCaseStreamSettings.StageName(variants[0].UseCase.ConfigKey) };

        return Flow.Create<UseCaseInput<TPass>>()
            .SelectAsync(settings.AskParallelism, async next =>
            {
                if (next.Transaction is not { } card)
                    return (next, evaluated: (TransactionEvaluated?)null);
                try
                {
                    var evaluated = await region.Ask<TransactionEvaluated>(new EvaluateTransaction(card, customers.Get(card.CustomerId)), settings.AskTimeout)
                        .ConfigureAwait(false);
                    return (next, evaluated: (TransactionEvaluated?)evaluated);
                }
                catch (Exception e)
                {
                    throw new RecordFailedException(next.Origin.Source.Position,
                        e is AskTimeoutException ? new TimeoutException($"The {useCase} entity of customer {card.CustomerId} did not answer within {settings.AskTimeout.TotalSeconds:0.###} s (ask-timeout) for transaction {card.TransactionId}.", e) : e);
                }
            })
            .Select(step => ToOutputs(step.next, step.evaluated, useCase, input, feedbackTopic, encoder))
            .Via(KafkaProducer.FlexiFlow<byte[]?, byte[]?, UseCaseOutput<TPass>>(settings.Producer))
            .SelectError(RecordFailedException.OfProducer<UseCaseOutput<TPass>>(output => output.Source.Position))
            .Select(results =>
            {
                Count(useCase, variants.Count, input.Stage, results.PassThrough.Evaluated);
                return results.PassThrough;
            });
    }

    private static Envelope<byte[]?, byte[]?, UseCaseOutput<TPass>> ToOutputs<TPass>(
        UseCaseInput<TPass> next, TransactionEvaluated? evaluated, string useCase, AvroInputSettings input, string feedbackTopic,
        AvroValueEncoder<Feedback> encoder)
    {
        var origin = next.Origin;
        var output = new UseCaseOutput<TPass>(next.PassThrough, evaluated, origin.Timestamp, origin.Source);
        if (evaluated is null)
            return ProducerMessage.PassThrough<byte[]?, byte[]?, UseCaseOutput<TPass>>(output);
        using var span = RecordTracing.StartChild(input.Stage, origin.Headers, origin.Source.Topic, origin.Source.Partition, origin.Source.Offset);

        // Most transactions yield no feedback: nothing is allocated for them.
        List<(string Topic, Message<byte[]?, byte[]?> Message)>? messages = null;
        List<string>? failures = null;
        foreach (var outcome in evaluated.Outcomes)
        {
            if (outcome.Failure is not null)
                (failures ??= []).Add($"{useCase}/{outcome.Variant}: {outcome.Failure}");
            if (outcome.Feedback is not { } feedback)
                continue;
            var message = new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes(feedback.CustomerId),
                Value = encoder.Encode(ToContract(feedback)),
                // The raw record's timestamp travels on, so downstream measures latency from ingestion.
                Timestamp = origin.Timestamp
            };
            RecordTracing.Carry(span, message);
            (messages ??= []).Add((feedbackTopic, message));
        }

        if (failures is not null)
        {
            var rejection = new Rejection(RejectionReason.UseCaseFailed, string.Join("; ", failures));
            (messages ??= []).Add((input.DeadLetterTopic, DeadLetter.Create(origin.Key, origin.Value, origin.Headers, rejection, input.Stage, origin.Source, input.DeadLetters)));
        }
        return messages is null
            ? ProducerMessage.PassThrough<byte[]?, byte[]?, UseCaseOutput<TPass>>(output)
            : ProducerMessage.Multi(messages, output);
    }

    private static void Count(string useCase, int variantCount, string stage, TransactionEvaluated? evaluated)
    {
        if (evaluated is null)
            return;
        foreach (var outcome in evaluated.Outcomes)
        {
            if (outcome.Feedback is not null)
                ExperimentMetrics.Produced.WithLabels(useCase, outcome.Variant).Inc();
            else if (outcome.Failure is not null)
                DeadLetterMetrics.Default.Count(stage, RejectionReason.UseCaseFailed);
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
}
