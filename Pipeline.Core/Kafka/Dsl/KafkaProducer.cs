using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Core.Kafka.Stages;

namespace Pipeline.Core.Kafka.Dsl;

/// <summary>Flows and sinks that write to Kafka and wait for the broker's acknowledgement.</summary>
public static class KafkaProducer
{
    /// <summary>
    /// Sends each envelope's records (zero, one or many) and emits the results with the pass-through, in
    /// input order, once all of them are acknowledged.
    /// </summary>
    public static Flow<Envelope<TKey, TValue, TPass>, ProducerResults<TKey, TValue, TPass>, NotUsed> FlexiFlow<TKey, TValue, TPass>(
        ProducerSettings settings, ISerializer<TKey>? keySerializer = null, ISerializer<TValue>? valueSerializer = null) =>
        Flow.FromGraph(new ProducerStage<TKey, TValue, TPass>(settings, () => Build(settings, keySerializer, valueSerializer), ownsProducer: true));

    /// <summary>As <see cref="FlexiFlow{TKey,TValue,TPass}"/>, on a producer the caller owns and disposes (shared by several stages).</summary>
    public static Flow<Envelope<TKey, TValue, TPass>, ProducerResults<TKey, TValue, TPass>, NotUsed> FlexiFlow<TKey, TValue, TPass>(
        ProducerSettings settings, IProducer<TKey, TValue> producer) =>
        Flow.FromGraph(new ProducerStage<TKey, TValue, TPass>(settings, () => producer, ownsProducer: false));

    /// <summary>Sends the envelopes and emits each one's context (typically its committable offset) once acknowledged.</summary>
    public static Flow<Envelope<TKey, TValue, TContext>, TContext, NotUsed> FlowWithContext<TKey, TValue, TContext>(
        ProducerSettings settings, ISerializer<TKey>? keySerializer = null, ISerializer<TValue>? valueSerializer = null) =>
        FlexiFlow<TKey, TValue, TContext>(settings, keySerializer, valueSerializer).Select(results => results.PassThrough);

    /// <summary>Sends records and completes when all are acknowledged.</summary>
    public static Sink<(string Topic, Message<TKey, TValue> Message), Task<Done>> Sink<TKey, TValue>(
        ProducerSettings settings, ISerializer<TKey>? keySerializer = null, ISerializer<TValue>? valueSerializer = null) =>
        Flow.Create<(string Topic, Message<TKey, TValue> Message)>()
            .Select(record => ProducerMessage.Single(record.Topic, record.Message, NotUsed.Instance))
            .Via(FlexiFlow<TKey, TValue, NotUsed>(settings, keySerializer, valueSerializer))
            .ToMaterialized(Akka.Streams.Dsl.Sink.Ignore<ProducerResults<TKey, TValue, NotUsed>>(), Keep.Right);

    /// <summary>Sends the envelopes, then commits each pass-through offset in batches: the at-least-once end of a stream.</summary>
    internal static Sink<Envelope<TKey, TValue, ICommittable>, Task<Done>> CommittableSink<TKey, TValue>(
        ProducerSettings settings, CommitterSettings committerSettings,
        ISerializer<TKey>? keySerializer = null, ISerializer<TValue>? valueSerializer = null) =>
        FlowWithContext<TKey, TValue, ICommittable>(settings, keySerializer, valueSerializer)
            .ToMaterialized(KafkaCommitter.Sink(committerSettings), Keep.Right);

    /// <summary>
    /// Sends records inside Kafka transactions together with the consumed offsets (exactly-once Kafka to
    /// Kafka). Every <see cref="TransactionalSettings.CommitInterval"/> the transaction is committed; a failure
    /// aborts it and fails the flow, and the stream must restart from the committed offsets.
    /// </summary>
    internal static Flow<Envelope<TKey, TValue, PartitionOffset>, ProducerResults<TKey, TValue, PartitionOffset>, NotUsed> TransactionalFlow<TKey, TValue>(
        ProducerSettings settings, TransactionalSettings transactional, string transactionalId,
        ISerializer<TKey>? keySerializer = null, ISerializer<TValue>? valueSerializer = null) =>
        Flow.FromGraph(new TransactionalProducerStage<TKey, TValue>(
            settings, transactional,
            () => Build(settings
                .WithProperty("transactional.id", transactionalId)
                .WithProperty("enable.idempotence", "true")
                .WithProperty("transaction.timeout.ms", ((int)transactional.TransactionTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                keySerializer, valueSerializer)));

    internal static IProducer<TKey, TValue> Build<TKey, TValue>(ProducerSettings settings, ISerializer<TKey>? keySerializer, ISerializer<TValue>? valueSerializer)
    {
        var builder = new ProducerBuilder<TKey, TValue>(settings.ToProducerConfig());
        if (keySerializer is not null)
            builder.SetKeySerializer(keySerializer);
        if (valueSerializer is not null)
            builder.SetValueSerializer(valueSerializer);
        return builder.Build();
    }
}
