using System.Text;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Pipeline.Contracts;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Hosting;
using Pipeline.Core.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Core.Schemas;
using Pipeline.Core.Storage;
using Pipeline.Core.Tracing;

namespace Pipeline.Core.Upstream;

/// <summary>
/// The upstream stage: raw JSON records of the raw topic become Avro <see cref="Transaction"/> values on the
/// transactions topic, keyed by customer id; records that fail validation go, unchanged, to the dead-letters topic
/// with the reason and their position in headers. A valid record is written to the history store before it is
/// produced, so every transaction a use case sees is already in the history its entities rebuild from. Each input's
/// offset is committed only after its one output (transaction or dead letter) is acknowledged, in input order, so a
/// restart neither loses nor skips anything.
/// </summary>
public static class UpstreamStream
{
    /// <summary>
    /// Checks the <see cref="Transaction"/> schema against the registry, then starts the stream. Input is consumed as
    /// bytes, so no record can fail in the consumer; bad input becomes a dead letter and never stops the stream.
    /// The stream fails on what is not bad input: Kafka refusing a write, the history store unreachable past its deadline.
    /// A record the stream failed on <see cref="DeadLetterSettings.PoisonAfter"/> times (<paramref name="poison"/>) goes to the
    /// dead letters with reason <c>poison</c> instead.
    /// The registry is asked only at start (the schema check gives the id every value is encoded with).
    /// </summary>
    /// <param name="settings">Topics, limits and Kafka clients; see <see cref="UpstreamSettings.Create"/>.</param>
    /// <param name="registry">The schema registry client (the caller owns and disposes it).</param>
    /// <param name="store">The history store valid records are written to (the caller owns and disposes it).</param>
    /// <param name="materializer">Runs the stream.</param>
    /// <param name="metrics">Where dead letters are counted; <see cref="DeadLetterMetrics.Default"/> when null.</param>
    /// <param name="onProcessed">Called after each input's output is acknowledged, with the time since the input's Kafka timestamp.</param>
    /// <param name="clock">The clock the parser refuses future timestamps against; the system clock when null.</param>
    /// <param name="streamTime">
    /// The event-time reference the parser refuses too old timestamps against, shared with retention; the stream advances
    /// it with every valid record. When null the stream makes its own. Either way it first catches up with the store.
    /// </param>
    /// <param name="cancellationToken">Cancels the schema check.</param>
    /// <param name="poison">The stream's failures per record, kept across its restarts; none counted when null.</param>
    /// <returns>The running stream: its completion, and the consumer control to end it with (<see cref="DrainingControl{T}.DrainAndShutdown"/>).</returns>
    /// <exception cref="IncompatibleSchemaException">The schema breaks the subject's compatibility level; nothing was consumed or sent.</exception>
    /// <exception cref="SchemaNotRegisteredException">Auto-register is off and the schema is not registered.</exception>
    public static async Task<DrainingControl<Done>> RunAsync(
        UpstreamSettings settings, ISchemaRegistryClient registry, IHistoryStore store, IMaterializer materializer,
        DeadLetterMetrics? metrics = null, Action<TimeSpan>? onProcessed = null, TimeProvider? clock = null,
        StreamTime? streamTime = null, CancellationToken cancellationToken = default, PoisonRecords? poison = null)
    {
        var encoder = await AvroValueEncoder<Transaction>.CreateAsync(registry, settings.SchemaRegistry, settings.Topics.Transactions, cancellationToken)
            .ConfigureAwait(false);
        clock ??= TimeProvider.System;
        streamTime ??= new StreamTime(settings.Limits.MaxFutureSkew, clock);
        // A restarted stream judges its first record against the history it left, not against nothing.
        await streamTime.CatchUpAsync(store, cancellationToken).ConfigureAwait(false);
        var parser = new RawTransactionParser(settings.Limits, clock, streamTime);
        var deadLetters = metrics ?? DeadLetterMetrics.Default;

        return KafkaSource.CommittableSource<byte[]?, byte[]?>(settings.Consumer, Subscription.ForTopics(settings.Topics.Raw))
            .Select(message => ToOutput(message, parser, streamTime, encoder, settings, poison))
            .Via(HistoryWrites.FlowWithConflicts<Envelope<byte[]?, byte[]?, Outcome>>(store, settings.HistoryWrites))
            // A record whose id the store holds with other content is not produced: its dead letter goes instead.
            // Either way the consumed record is let go here, so the producer's many in-flight elements do not keep raw bytes alive.
            .Select(written => written.Conflicts.Count == 0
                ? written.Pass with { PassThrough = written.Pass.PassThrough with { Record = null } }
                : ProducerMessage.Single(settings.Topics.DeadLetters,
                    ConflictingDuplicate.DeadLetter(written.Pass.PassThrough.Record!, written.Conflicts[0], UpstreamSettings.StageName, settings.DeadLetters),
                    written.Pass.PassThrough with { Record = null, Rejected = RejectionReason.ConflictingDuplicate }))
            .Via(KafkaProducer.FlexiFlow<byte[]?, byte[]?, Outcome>(settings.Producer))
            .SelectError(RecordFailedException.OfProducer<Outcome>(outcome => outcome.Offset.Offset))
            .Select(ICommittable (results) =>
            {
                var outcome = results.PassThrough;
                poison?.Done(outcome.Offset.Offset);
                if (outcome.Rejected is { } reason)
                    deadLetters.Count(UpstreamSettings.StageName, reason);
                onProcessed?.Invoke(DateTime.UtcNow - outcome.InputTimestamp);
                return outcome.Offset;
            })
            .ToMaterialized(KafkaCommitter.Sink(settings.Committer), DrainingControl<Done>.Create)
            .Run(materializer);
    }

    private static (IReadOnlyList<HistoryRow> Rows, Envelope<byte[]?, byte[]?, Outcome> Output) ToOutput(
        CommittableMessage<byte[]?, byte[]?> input, RawTransactionParser parser, StreamTime streamTime, AvroValueEncoder<Transaction> encoder,
        UpstreamSettings settings, PoisonRecords? poison)
    {
        try
        {
            var failure = poison?.Check(input.Record.TopicPartitionOffset);
            return ToOutput(input, failure is null ? null : new Rejection(RejectionReason.Poison, failure), parser, streamTime, encoder, settings);
        }
        catch (Exception e)
        {
            throw new RecordFailedException(input.Record.TopicPartitionOffset, e);
        }
    }

    private static (IReadOnlyList<HistoryRow> Rows, Envelope<byte[]?, byte[]?, Outcome> Output) ToOutput(
        CommittableMessage<byte[]?, byte[]?> input, Rejection? poisoned, RawTransactionParser parser, StreamTime streamTime, AvroValueEncoder<Transaction> encoder,
        UpstreamSettings settings)
    {
        var record = input.Record;
        using var span = RecordTracing.StartRoot(UpstreamSettings.StageName, record);
        var inputTimestamp = record.Message.Timestamp.UtcDateTime;
        var parsed = poisoned is null ? parser.Parse(record.Message.Value) : (ParseResult<Transaction>)poisoned;
        if (parsed.Rejection is { } rejection)
        {
            var deadLetter = DeadLetter.Create(record, rejection, UpstreamSettings.StageName, settings.DeadLetters);
            return ([], ProducerMessage.Single(settings.Topics.DeadLetters, deadLetter, new Outcome(input.CommittableOffset, record, rejection.Reason, inputTimestamp)));
        }

        var transaction = parsed.Value!;
        var value = encoder.Encode(transaction);
        var output = new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(transaction.customerId),
            Value = value,
            // The raw record's timestamp travels on, so every later stage measures latency from ingestion.
            Timestamp = record.Message.Timestamp
        };
        RecordTracing.Carry(span, output);
        var eventTime = new DateTimeOffset(DateTime.SpecifyKind(transaction.timestamp, DateTimeKind.Utc));
        streamTime.Advance(eventTime);
        var row = new HistoryRow(HistoryTable.Records, transaction.customerId, eventTime, transaction.transactionId, nameof(Transaction), value);
        return ([row], ProducerMessage.Single(settings.Topics.Transactions, output, new Outcome(input.CommittableOffset, record, null, inputTimestamp)));
    }

    /// <summary>
    /// What is left of an input once its output is sent: the offset to commit and, for a dead letter, why; the consumed
    /// record until its history write, for the dead letter of a conflict the store reports.
    /// </summary>
    private sealed record Outcome(CommittableOffset Offset, ConsumeResult<byte[]?, byte[]?>? Record, RejectionReason? Rejected, DateTime InputTimestamp);
}
