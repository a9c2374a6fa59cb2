using System.Diagnostics;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Kafka;

[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class PrefetchTests(EmbeddedKafkaFixture fixture, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit
{
    private const int Partitions = 8;
    private const int Backlog = 200_000;
    private const int ValueBytes = 200;

    // librdkafka stops fetching once its prefetch queue passes queued.max.messages.kbytes and then waits
    // fetch.queue.backoff.ms (1 s by default) before it looks again, however soon the queue empties. A stream
    // that drains the queue faster than that sits idle for the rest of the second, once per queue's worth.
    private static readonly TimeSpan Stall = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task A_backlog_many_times_the_prefetch_queue_is_read_without_waiting_for_the_fetch_backoff()
    {
        var topic = fixture.CreateTopic("prefetch", Partitions);
        ProduceBacklog(topic);
        using (var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = fixture.BootstrapServers, GroupId = "probe" }).Build())
        {
            // The embedded broker silently drops old data past its per-partition retention: check it kept everything.
            var kept = Enumerable.Range(0, Partitions)
                .Select(p => probe.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)))
                .Sum(w => w.High.Value - w.Low.Value);
            Assert.Equal(Backlog, kept);
        }

        var settings = KafkaTestSettings.Consumer(fixture.BootstrapServers, EmbeddedKafkaFixture.UniqueGroup("prefetch"));
        var gaps = new List<TimeSpan>();
        var clock = new Stopwatch();
        var last = TimeSpan.Zero;
        var (control, done) = KafkaSource.CommittableSource<byte[], byte[]>(settings, Subscription.ForTopics(topic))
            .Take(Backlog)
            .ToMaterialized(Sink.ForEach<CommittableMessage<byte[], byte[]>>(_ =>
            {
                if (!clock.IsRunning)
                {
                    clock.Start(); // group join and the first fetch are not the subject
                    return;
                }
                var now = clock.Elapsed;
                if (now - last >= Stall)
                    gaps.Add(now - last);
                last = now;
            }), Keep.Both)
            .Run(Sys.Materializer());

        await done.WaitAsync(TimeSpan.FromSeconds(60));
        await control.Shutdown();

        output.WriteLine($"read {Backlog:N0} records of {ValueBytes} B in {clock.Elapsed.TotalSeconds:F1} s after the first; " +
                         $"waits of {Stall.TotalMilliseconds:F0} ms or more between two records: {gaps.Count} ({string.Join(", ", gaps.Select(g => $"{g.TotalMilliseconds:F0} ms"))})");
        // With librdkafka's 1 s backoff this read stalled 7 times for 730-974 ms; with 10 ms it did not stall at all (load average 29-36).
        Assert.True(gaps.Count <= 2, $"the stream waited {gaps.Count} times for {Stall.TotalMilliseconds:F0} ms or more while records were waiting at the broker");
    }

    private void ProduceBacklog(string topic)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            LingerMs = 20,
            BatchNumMessages = 10_000,
            CompressionType = CompressionType.Lz4 // the embedded broker keeps only about 5 MiB per partition
        }).Build();
        var value = new byte[ValueBytes];
        for (var i = 0; i < Backlog; i++)
        {
            BitConverter.TryWriteBytes(value, i);
            var message = new Message<byte[], byte[]> { Key = BitConverter.GetBytes(i % 10_000), Value = value };
            while (true)
            {
                try
                {
                    producer.Produce(topic, message);
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(5));
                }
            }
        }
        producer.Flush(TimeSpan.FromSeconds(60));
    }
}
