using System.Collections.Concurrent;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Pipeline.Contracts;
using Pipeline.Core;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Measurement;
using Pipeline.Core.Schemas;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>
/// Times the hops after upstream per record: one consumer (assigned, no group) reads the transactions, feedback and
/// notifications topics and notes when it first saw each transaction, feedback and notification whose raw record was
/// stamped at or after the measurement start. A hop is the difference of two such times for the same record, so the
/// reader's own fetch delay cancels out (up to one fetch wait of jitter per side).
/// </summary>
internal sealed class HopReader : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, DateTime> _transactions = new();
    private readonly ConcurrentDictionary<string, (DateTime Seen, string TransactionId)> _feedback = new();
    private readonly ConcurrentDictionary<string, DateTime> _notifications = new();

    public HopReader(ConsumerConfig config, ISchemaRegistryClient registry, TopicNames topics, DateTime measureFrom)
    {
        _loop = Task.Factory.StartNew(() => Read(config, registry, topics, measureFrom), TaskCreationOptions.LongRunning);
    }

    private void Read(ConsumerConfig config, ISchemaRegistryClient registry, TopicNames topics, DateTime measureFrom)
    {
        // The pipeline's own decoders: synchronous once a schema id is known, cheaper per record than the Confluent deserializer.
        var transaction = new AvroValueDecoder<Transaction>(registry);
        var feedback = new AvroValueDecoder<Feedback>(registry);
        var notification = new AvroValueDecoder<Notification>(registry);
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config).Build();
        consumer.Assign(new[] { topics.Transactions, topics.Feedback, topics.Notifications }
            .SelectMany(topic => Enumerable.Range(0, topics.Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning))));
        var fromMs = new DateTimeOffset(measureFrom).ToUnixTimeMilliseconds();
        while (!_stop.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (result is null || result.IsPartitionEOF || result.Message.Timestamp.UnixTimestampMs < fromMs)
                continue;
            var seen = DateTime.UtcNow;
            if (result.Topic == topics.Transactions)
                _transactions.TryAdd(Decode(transaction, result).transactionId, seen);
            else if (result.Topic == topics.Feedback)
            {
                var value = Decode(feedback, result);
                _feedback.TryAdd(value.feedbackId, (seen, value.transactionId));
            }
            else
                _notifications.TryAdd(Decode(notification, result).notificationId, seen);
        }
        consumer.Close();
    }

    private static T Decode<T>(AvroValueDecoder<T> decoder, ConsumeResult<Ignore, byte[]> result) where T : class, Avro.Specific.ISpecificRecord, new()
    {
        var decoded = decoder.DecodeAsync(result.Message.Value).AsTask().GetAwaiter().GetResult();
        return decoded.Value ?? throw new InvalidOperationException($"{result.TopicPartitionOffset} is not a {typeof(T).Name}: {decoded.Rejection}");
    }

    /// <summary>Transaction seen -> its feedback seen, for every feedback record whose transaction was seen.</summary>
    public LatencySnapshot TransactionToFeedback()
    {
        var hop = new LatencyRecorder();
        foreach (var (seen, transactionId) in _feedback.Values)
        {
            if (_transactions.TryGetValue(transactionId, out var before))
                hop.Record(seen - before);
        }
        return hop.TakeInterval();
    }

    /// <summary>Feedback seen -> its notification seen, for every notification.</summary>
    public LatencySnapshot FeedbackToNotification()
    {
        var hop = new LatencyRecorder();
        foreach (var (id, seen) in _notifications)
        {
            if (_feedback.TryGetValue(id, out var before))
                hop.Record(seen - before.Seen);
        }
        return hop.TakeInterval();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.GetAwaiter().GetResult();
        _stop.Dispose();
    }
}
