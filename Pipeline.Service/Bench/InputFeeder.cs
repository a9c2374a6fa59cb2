using System.Diagnostics;
using Confluent.Kafka;

namespace Pipeline.Service.Bench;

/// <summary>Writes benchmark records to an input topic, as fast as the producer takes them or at a fixed rate.</summary>
internal static class InputFeeder
{
    /// <summary>Writes records 0..<paramref name="count"/>-1 and waits until all are acknowledged; returns the time it took.</summary>
    public static TimeSpan Fill(BenchClients clients, string topic, int count) =>
        Fill(clients.ProducerConfig(), clients.Producer.FlushTimeout, topic,
            Enumerable.Range(0, count).Select(n => new Message<string, string> { Key = BenchRecords.Key(n), Value = BenchRecords.Value(n) }));

    /// <summary>Writes <paramref name="records"/> and waits until all are acknowledged; returns the time it took.</summary>
    public static TimeSpan Fill<TValue>(ProducerConfig producerConfig, TimeSpan flushTimeout, string topic, IEnumerable<Message<string, TValue>> records)
    {
        // lz4 in small batches needs ~45 bytes a record: a million would overflow the embedded broker's
        // retention. zstd in large batches needs a fraction of that; consumers decompress either.
        var config = new ProducerConfig(new Dictionary<string, string>(producerConfig))
        {
            CompressionType = CompressionType.Zstd,
            LingerMs = 100,
            BatchNumMessages = 100_000
        };
        using var producer = new ProducerBuilder<string, TValue>(config).Build();
        Error? failure = null;
        var clock = Stopwatch.StartNew();
        foreach (var message in records)
        {
            if (failure is not null)
                break;
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, report =>
                    {
                        if (report.Error.IsError)
                            failure = report.Error;
                    });
                    break;
                }
                catch (ProduceException<string, TValue> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }
        producer.Flush(flushTimeout);
        if (failure is not null)
            throw new KafkaException(failure);
        return clock.Elapsed;
    }

    /// <summary>
    /// Writes <paramref name="perSecond"/> records a second for <paramref name="duration"/>, each stamped with its
    /// produce time; returns how many were stamped at or after <paramref name="measureFrom"/>.
    /// </summary>
    public static long Paced(BenchClients clients, string topic, int perSecond, TimeSpan duration, DateTime measureFrom, CancellationToken cancellationToken) =>
        Paced(clients.ProducerConfig(), clients.Producer.FlushTimeout, topic, perSecond, duration, measureFrom,
            Enumerable.Range(0, int.MaxValue).Select(n => new Message<string, string> { Key = BenchRecords.Key(n), Value = BenchRecords.Value(n) }),
            cancellationToken);

    /// <summary>
    /// Writes the first records of <paramref name="records"/> at <paramref name="perSecond"/> a second for
    /// <paramref name="duration"/>, each stamped with its produce time (CreateTime, this machine's clock); returns how
    /// many were stamped at or after <paramref name="measureFrom"/>.
    /// </summary>
    public static long Paced<TValue>(ProducerConfig producerConfig, TimeSpan flushTimeout, string topic, int perSecond, TimeSpan duration,
        DateTime measureFrom, IEnumerable<Message<string, TValue>> records, CancellationToken cancellationToken)
    {
        using var producer = new ProducerBuilder<string, TValue>(producerConfig).Build();
        using var next = records.GetEnumerator();
        var clock = Stopwatch.StartNew();
        long sent = 0;
        long measured = 0;
        var measureFromMs = new DateTimeOffset(measureFrom).ToUnixTimeMilliseconds();
        while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * perSecond);
            for (; sent < due && next.MoveNext(); sent++)
            {
                var message = next.Current;
                message.Timestamp = new Timestamp(DateTime.UtcNow);
                producer.Produce(topic, message);
                if (message.Timestamp.UnixTimestampMs >= measureFromMs)
                    measured++;
            }
            Thread.Sleep(1);
        }
        producer.Flush(flushTimeout);
        return measured;
    }
}
