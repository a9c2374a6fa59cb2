using Confluent.Kafka;

namespace Pipeline.Core.Kafka.Messages;

/// <summary>
/// What a producer flow takes: zero, one or many records to send, plus a value passed through to its
/// output once every one of them is acknowledged (typically the offset to commit).
/// </summary>
public abstract record Envelope<TKey, TValue, TPass>(TPass PassThrough);

/// <summary>One record to send.</summary>
internal sealed record SingleMessage<TKey, TValue, TPass>(string Topic, Message<TKey, TValue> Message, TPass PassThrough)
    : Envelope<TKey, TValue, TPass>(PassThrough);

/// <summary>Several records to send; the pass-through is emitted after all of them are acknowledged.</summary>
internal sealed record MultiMessage<TKey, TValue, TPass>(IReadOnlyList<(string Topic, Message<TKey, TValue> Message)> Messages, TPass PassThrough)
    : Envelope<TKey, TValue, TPass>(PassThrough);

/// <summary>Nothing to send; the pass-through is emitted in order with the others.</summary>
internal sealed record PassThroughMessage<TKey, TValue, TPass>(TPass PassThrough)
    : Envelope<TKey, TValue, TPass>(PassThrough);

/// <summary>Constructors that infer the type arguments.</summary>
public static class ProducerMessage
{
    public static Envelope<TKey, TValue, TPass> Single<TKey, TValue, TPass>(string topic, Message<TKey, TValue> message, TPass passThrough) =>
        new SingleMessage<TKey, TValue, TPass>(topic, message, passThrough);

    public static Envelope<TKey, TValue, TPass> Multi<TKey, TValue, TPass>(IReadOnlyList<(string Topic, Message<TKey, TValue> Message)> messages, TPass passThrough) =>
        new MultiMessage<TKey, TValue, TPass>(messages, passThrough);

    public static Envelope<TKey, TValue, TPass> PassThrough<TKey, TValue, TPass>(TPass passThrough) =>
        new PassThroughMessage<TKey, TValue, TPass>(passThrough);
}

/// <summary>What a producer flow emits: the acknowledged deliveries of one envelope and its pass-through.</summary>
public sealed record ProducerResults<TKey, TValue, TPass>(IReadOnlyList<DeliveryResult<TKey, TValue>> Deliveries, TPass PassThrough);
