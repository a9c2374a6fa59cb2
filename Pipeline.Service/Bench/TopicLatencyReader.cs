using Confluent.Kafka;
using Pipeline.Core.Measurement;

namespace Pipeline.Service.Bench;

/// <summary>
/// Reads a topic from the beginning (assigned, no group join) on a thread of its own and records, for each record
/// stamped at or after the measurement start, the time from its produce timestamp to now. On a variant's output topic
/// (the timestamp carried over by the transform) that is the whole hop, feed producer to output consumer; on a topic a
/// producer writes directly it is one plain Kafka hop, the broker's floor.
/// </summary>
internal sealed class TopicLatencyReader : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _recorded;

    /// <param name="config">The consumer's settings (its group id is only a name: the partitions are assigned).</param>
    /// <param name="pollTimeout">How long one poll waits; bounds how long stopping takes, not what is measured.</param>
    public TopicLatencyReader(ConsumerConfig config, string topic, int partitions, TimeSpan pollTimeout, DateTime measureFrom)
    {
        _loop = Task.Factory.StartNew(() => Read(config, topic, partitions, pollTimeout, measureFrom), TaskCreationOptions.LongRunning);
    }

    public LatencyRecorder Latency { get; } = new();

    public long Recorded => Interlocked.Read(ref _recorded);

    private void Read(ConsumerConfig config, string topic, int partitions, TimeSpan pollTimeout, DateTime measureFrom)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var fromMs = new DateTimeOffset(measureFrom).ToUnixTimeMilliseconds();
        while (!_stop.IsCancellationRequested)
        {
            var result = consumer.Consume(pollTimeout);
            if (result is null || result.IsPartitionEOF)
                continue;
            var now = DateTime.UtcNow;
            var produced = result.Message.Timestamp;
            if (produced.UnixTimestampMs < fromMs)
                continue;
            Latency.Record(now - produced.UtcDateTime);
            Interlocked.Increment(ref _recorded);
        }
        consumer.Close();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.GetAwaiter().GetResult();
        _stop.Dispose();
    }
}
