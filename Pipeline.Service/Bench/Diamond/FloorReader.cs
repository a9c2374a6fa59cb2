using Confluent.Kafka;
using Pipeline.Core.Measurement;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>
/// The embedded broker's floor under each of the pipeline's hops, in the same run: a plain consumer with the pipeline's
/// consumer settings, on a thread of its own, reads the raw topic the feeder writes (assigned, no group) and records each
/// record's produce timestamp to the moment it was consumed. One Kafka hop, same broker, client settings and machine
/// load, with nothing of ours in it and nothing decoded.
/// </summary>
internal sealed class FloorReader : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly LatencyRecorder _latency = new();

    public FloorReader(ConsumerConfig config, string topic, int partitions, DateTime measureFrom)
    {
        _loop = Task.Factory.StartNew(() => Read(config, topic, partitions, measureFrom), TaskCreationOptions.LongRunning);
    }

    private void Read(ConsumerConfig config, string topic, int partitions, DateTime measureFrom)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var fromMs = new DateTimeOffset(measureFrom).ToUnixTimeMilliseconds();
        while (!_stop.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (result is null || result.IsPartitionEOF || result.Message.Timestamp.UnixTimestampMs < fromMs)
                continue;
            _latency.Record(DateTime.UtcNow - result.Message.Timestamp.UtcDateTime);
        }
        consumer.Close();
    }

    /// <summary>Produced -> consumed, over every record stamped at or after the measurement start.</summary>
    public LatencySnapshot ProducedToConsumed() => _latency.TakeInterval();

    public void Dispose()
    {
        _stop.Cancel();
        _loop.GetAwaiter().GetResult();
        _stop.Dispose();
    }
}
