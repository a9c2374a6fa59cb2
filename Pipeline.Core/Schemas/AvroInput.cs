using Akka;
using Akka.Streams.Dsl;
using Avro.Specific;
using Confluent.SchemaRegistry;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Hosting;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Core.Schemas;

/// <summary>The input side of every stage that reads Avro from Kafka: decode, dead-letter what cannot be decoded, pass the rest on.</summary>
public static class AvroInput
{
    /// <summary>
    /// Decodes each consumed value as Confluent wire-format Avro of <typeparamref name="T"/>. Values that are not wire
    /// format, carry a wrong magic byte or an unknown schema id, are truncated or corrupt, or are valid Avro of a schema
    /// <typeparamref name="T"/> cannot read are written unchanged to the dead-letters topic with the reason and their
    /// position in headers (see <see cref="DeadLetter"/>) and counted. Every input is emitted in order, decoded or
    /// dead-lettered (its dead letter acknowledged), so the caller can commit every offset. A registry that cannot be
    /// reached fails the flow rather than dead-lettering good records.
    /// </summary>
    /// <param name="settings">Stage name, dead-letter topic, parallelism.</param>
    /// <param name="registry">The schema registry client (the caller owns and disposes it).</param>
    /// <param name="producer">Settings of the producer that writes the dead letters.</param>
    /// <param name="metrics">Where dead letters are counted; <see cref="DeadLetterMetrics.Default"/> when null.</param>
    /// <param name="poison">
    /// The stage's failures per record: a record it failed on often enough goes to the dead letters with reason <c>poison</c>
    /// and is emitted as dead-lettered, without being decoded. None when null.
    /// </param>
    public static Flow<CommittableMessage<byte[]?, byte[]?>, DecodedRecord<T>, NotUsed> Decode<T>(
        AvroInputSettings settings, ISchemaRegistryClient registry, ProducerSettings producer, DeadLetterMetrics? metrics = null,
        PoisonRecords? poison = null)
        where T : class, ISpecificRecord, new()
    {
        var decoder = new AvroValueDecoder<T>(registry);
        var deadLetters = metrics ?? DeadLetterMetrics.Default;
        return Flow.Create<CommittableMessage<byte[]?, byte[]?>>()
            .SelectAsync(settings.Parallelism, async input =>
            {
                var decoded = poison?.Check(input.Record.TopicPartitionOffset) is { } failure
                    ? (ParseResult<T>)new Rejection(RejectionReason.Poison, failure)
                    : await decoder.DecodeAsync(input.Record.Message.Value).ConfigureAwait(false);
                var result = new DecodedRecord<T>(input, decoded.Value, decoded.Rejection);
                return decoded.Rejection is { } rejection
                    ? ProducerMessage.Single(settings.DeadLetterTopic, DeadLetter.Create(input.Record, rejection, settings.Stage, settings.DeadLetters), result)
                    // Nothing to send: the producer emits it in its place among the dead letters, keeping the input order.
                    : ProducerMessage.PassThrough<byte[]?, byte[]?, DecodedRecord<T>>(result);
            })
            .Via(KafkaProducer.FlexiFlow<byte[]?, byte[]?, DecodedRecord<T>>(producer))
            .SelectError(RecordFailedException.OfProducer<DecodedRecord<T>>(record => record.Offset.Offset))
            .Select(results =>
            {
                if (results.PassThrough.Rejection is { } rejection)
                    deadLetters.Count(settings.Stage, rejection.Reason);
                return results.PassThrough;
            });
    }
}
