using System.Diagnostics;
using Confluent.Kafka;

namespace Pipeline.Service.Bench;

/// <summary>Writes the benchmark records to the input topic, as fast as the producer takes them or at a fixed rate.</summary>
internal static class InputFeeder
{
    /// <summary>Writes records 0..<paramref name="count"/>-1 and waits until all are acknowledged; returns the time it took.</summary>
    public static TimeSpan Fill(BenchClients clients, string topic, int count)
    {
        // lz4 in the variants' small batches needs ~45 bytes a record: a million would overflow the embedded
        // broker's retention. zstd in large batches needs a fraction of that; consumers decompress either.
        var config = clients.ProducerConfig();
        config.CompressionType = CompressionType.Zstd;
        config.LingerMs = 100;
        config.BatchNumMessages = 100_000;
        using var producer = new ProducerBuilder<string, string>(config).Build();
        Error? failure = null;
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < count && failure is null; n++)
        {
            var message = new Message<string, string> { Key = BenchRecords.Key(n), Value = BenchRecords.Value(n) };
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
                catch (ProduceException<string, string> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }
        producer.Flush(clients.Producer.FlushTimeout);
        if (failure is not null)
            throw new KafkaException(failure);
        return clock.Elapsed;
    }

    /// <summary>
    /// Writes <paramref name="perSecond"/> records a second for <paramref name="duration"/>, each stamped with its
    /// produce time; returns how many were stamped at or after <paramref name="measureFrom"/>.
    /// </summary>
    public static long Paced(BenchClients clients, string topic, int perSecond, TimeSpan duration, DateTime measureFrom, CancellationToken cancellationToken)
    {
        using var producer = new ProducerBuilder<string, string>(clients.ProducerConfig()).Build();
        var clock = Stopwatch.StartNew();
        long sent = 0;
        long measured = 0;
        var measureFromMs = new DateTimeOffset(measureFrom).ToUnixTimeMilliseconds();
        while (clock.Elapsed < duration && !cancellationToken.IsCancellationRequested)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * perSecond);
            for (; sent < due; sent++)
            {
                var timestamp = new Timestamp(DateTime.UtcNow);
                producer.Produce(topic, new Message<string, string> { Key = BenchRecords.Key(sent), Value = BenchRecords.Value(sent), Timestamp = timestamp });
                if (timestamp.UnixTimestampMs >= measureFromMs)
                    measured++;
            }
            Thread.Sleep(1);
        }
        producer.Flush(clients.Producer.FlushTimeout);
        return measured;
    }
}
