using Confluent.Kafka;
using Pipeline.Core.Measurement;

namespace Pipeline.Service.Bench;

/// <summary>
/// Reads a variant's output topic from the beginning (assigned, no group join) and records, for each
/// record stamped at or after the measurement start, the time from its input's produce timestamp (carried
/// over by the transform) to now: the whole hop, feed producer to output consumer.
/// </summary>
internal sealed class OutputLatencyReader : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _recorded;

    public OutputLatencyReader(BenchClients clients, string topic, string groupId, DateTime measureFrom)
    {
        _loop = Task.Factory.StartNew(() => Read(clients, topic, groupId, measureFrom), TaskCreationOptions.LongRunning);
    }

    public LatencyRecorder Latency { get; } = new();

    public long Recorded => Interlocked.Read(ref _recorded);

    private void Read(BenchClients clients, string topic, string groupId, DateTime measureFrom)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(clients.ConsumerConfig(groupId)).Build();
        consumer.Assign(Enumerable.Range(0, KafkaBenchOptions.Partitions)
            .Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var fromMs = new DateTimeOffset(measureFrom).ToUnixTimeMilliseconds();
        while (!_stop.IsCancellationRequested)
        {
            var result = consumer.Consume(clients.Consumer.PollTimeout);
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
