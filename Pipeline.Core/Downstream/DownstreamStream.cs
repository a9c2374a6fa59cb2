using System.Text;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Pipeline.Contracts;
using Pipeline.Core.Hosting;
using Pipeline.Core.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Core.Schemas;
using Pipeline.Core.Storage;
using Pipeline.Core.Tracing;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.Downstream;

/// <summary>
/// The downstream stage: feedback -> A/B post-filter (only the customer's assigned variant is delivered) ->
/// de-duplication by feedback id -> a notification on the notifications topic, then its row in the history store's
/// outputs. An input's offset is committed only after both, in input order. A record the stream failed on
/// <c>pipeline.dead-letters.poison-after</c> times (e.g. a notification Kafka always refuses) goes to the dead letters as poison.
/// </summary>
public static class DownstreamStream
{
    /// <summary>Checks the notification schema against the registry, then starts the stream.</summary>
    /// <param name="experiments">The B shares, read at every record, so changes take effect without a restart.</param>
    /// <param name="onDelivered">Called after each delivered notification is stored, with the time since the raw record's Kafka timestamp.</param>
    public static async Task<DrainingControl<Done>> RunAsync(
        DownstreamSettings settings, Experiments experiments, ISchemaRegistryClient registry, IHistoryStore store, IMaterializer materializer,
        Action<TimeSpan>? onDelivered = null, CancellationToken cancellationToken = default, PoisonRecords? poison = null)
    {
        var encoder = await AvroValueEncoder<Notification>.CreateAsync(registry, settings.SchemaRegistry, settings.Topics.Notifications, cancellationToken)
            .ConfigureAwait(false);
        var deduplicator = new FeedbackDeduplicator(store, settings.RecentIds);

        return KafkaSource.CommittableSource<byte[]?, byte[]?>(settings.Consumer, Subscription.ForTopics(settings.Topics.Feedback))
            .Via(AvroInput.Decode<Feedback>(settings.Input, registry, settings.Producer, poison: poison))
            .Select(decoded => (decoded, claimed: decoded.Value is { } feedback && IsAssigned(feedback, experiments) && deduplicator.ClaimRecent(feedback.feedbackId)))
            .SelectAsync(settings.Input.Parallelism, async step =>
            {
                var (decoded, claimed) = step;
                var deliver = claimed && !await deduplicator.IsStoredAsync(decoded.Value!).ConfigureAwait(false);
                if (decoded.Value is { } feedback)
                    DownstreamMetrics.Feedback.WithLabels(feedback.useCase, feedback.variant, Outcome(feedback, deliver, experiments)).Inc();
                return ToNotification(decoded, deliver, settings.Topics.Notifications, encoder);
            })
            .Via(KafkaProducer.FlexiFlow<byte[]?, byte[]?, Delivery>(settings.Producer))
            .SelectError(RecordFailedException.OfProducer<Delivery>(delivery => delivery.Offset.Offset))
            .Select(results => (Rows: results.PassThrough.Row is { } row ? (IReadOnlyList<HistoryRow>)[row] : [], Pass: results.PassThrough))
            .Via(HistoryWrites.Flow<Delivery>(store, settings.HistoryWrites))
            .Select(ICommittable (delivery) =>
            {
                poison?.Done(delivery.Offset.Offset);
                if (delivery.Row is not null)
                {
                    ExperimentMetrics.Delivered.WithLabels(delivery.UseCase!, delivery.Variant!).Inc();
                    onDelivered?.Invoke(DateTime.UtcNow - delivery.InputTimestamp);
                }
                return delivery.Offset;
            })
            .ToMaterialized(KafkaCommitter.Sink(settings.Committer), DrainingControl<Done>.Create)
            .Run(materializer);
    }

    private static bool IsAssigned(Feedback feedback, Experiments experiments) =>
        !experiments.Has(UseCaseNames.ToConfigKey(feedback.useCase)) ||
        experiments.AssignedVariant(UseCaseNames.ToConfigKey(feedback.useCase), feedback.customerId) == feedback.variant;

    private static string Outcome(Feedback feedback, bool delivered, Experiments experiments) =>
        delivered ? DownstreamMetrics.Delivered : IsAssigned(feedback, experiments) ? DownstreamMetrics.Duplicate : DownstreamMetrics.OtherVariant;

    private static Envelope<byte[]?, byte[]?, Delivery> ToNotification(
        DecodedRecord<Feedback> decoded, bool deliver, string topic, AvroValueEncoder<Notification> encoder)
    {
        var record = decoded.Message.Record;
        var inputTimestamp = record.Message.Timestamp;
        using var span = RecordTracing.StartChild(DownstreamSettings.StageName, record.Message.Headers, record.Topic, record.Partition.Value, record.Offset.Value);
        if (!deliver || decoded.Value is not { } feedback)
            return ProducerMessage.PassThrough<byte[]?, byte[]?, Delivery>(new Delivery(decoded.Offset, null, null, null, inputTimestamp.UtcDateTime));

        var notification = new Notification
        {
            notificationId = feedback.feedbackId,
            customerId = feedback.customerId,
            useCase = feedback.useCase,
            variant = feedback.variant,
            transactionId = feedback.transactionId,
            message = feedback.message,
            timestamp = feedback.timestamp
        };
        var value = encoder.Encode(notification);
        var row = new HistoryRow(HistoryTable.Outputs, feedback.customerId, new DateTimeOffset(DateTime.SpecifyKind(feedback.timestamp, DateTimeKind.Utc)),
            feedback.feedbackId, feedback.useCase, value);
        var message = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(feedback.customerId), Value = value, Timestamp = inputTimestamp };
        RecordTracing.Carry(span, message);
        return ProducerMessage.Single(topic, message, new Delivery(decoded.Offset, row, feedback.useCase, feedback.variant, inputTimestamp.UtcDateTime));
    }

    /// <summary>An input once its notification (if any) is acknowledged: the offset, the output row to store, and labels for metrics.</summary>
    private sealed record Delivery(CommittableOffset Offset, HistoryRow? Row, string? UseCase, string? Variant, DateTime InputTimestamp);
}
