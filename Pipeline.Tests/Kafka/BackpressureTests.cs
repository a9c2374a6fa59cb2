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
public sealed class BackpressureTests(EmbeddedKafkaFixture fixture, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit
{
    private const int Partitions = 16;
    private const int Backlog = 1_000_000;

    // The stream may hold at most partition-buffer-size records per partition plus librdkafka's own
    // prefetch queue (queued.max.messages.kbytes), whatever the backlog.
    private const long MaxManagedGrowthBytes = 64L * 1024 * 1024;
    private const long MaxWorkingSetGrowthBytes = 150L * 1024 * 1024;

    [Fact]
    public async Task A_slow_sink_over_a_million_record_backlog_keeps_memory_bounded()
    {
        var topic = fixture.CreateTopic("backlog", Partitions);
        ProduceSmallRecords(topic);
        using (var probe = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = fixture.BootstrapServers, GroupId = "probe" }).Build())
        {
            // The embedded broker silently drops old data past its per-partition retention: check it kept everything.
            var kept = Enumerable.Range(0, Partitions)
                .Select(p => probe.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)))
                .Sum(w => w.High.Value - w.Low.Value);
            Assert.Equal(Backlog, kept);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = Process.GetCurrentProcess().WorkingSet64;

        var settings = KafkaTestSettings.Consumer(fixture.BootstrapServers, EmbeddedKafkaFixture.UniqueGroup("backlog"));
        var (control, done) = KafkaSource.CommittableSource<byte[], byte[]>(settings, Subscription.ForTopics(topic))
            .Throttle(2_000, TimeSpan.FromSeconds(1), 100, ThrottleMode.Shaping) // the slow sink
            .ToMaterialized(Sink.Ignore<CommittableMessage<byte[], byte[]>>(), Keep.Both)
            .Run(Sys.Materializer());

        long peakWorkingSet = 0, peakManaged = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(8))
        {
            await Task.Delay(250);
            peakWorkingSet = Math.Max(peakWorkingSet, Process.GetCurrentProcess().WorkingSet64);
            peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(forceFullCollection: false));
        }
        var metrics = control.Metrics;
        await control.Shutdown();

        output.WriteLine($"consumed {metrics.ConsumedRecords}, lag {metrics.TotalLag}; working set {workingSetBefore >> 20} -> peak {peakWorkingSet >> 20} MiB; " +
                         $"managed heap {managedBefore >> 20} -> peak {peakManaged >> 20} MiB");
        Assert.True(metrics.ConsumedRecords < Backlog / 10, $"the slow sink should have taken a small part of the backlog, took {metrics.ConsumedRecords}");
        Assert.True(peakManaged - managedBefore < MaxManagedGrowthBytes, $"managed heap grew by {(peakManaged - managedBefore) >> 20} MiB");
        Assert.True(peakWorkingSet - workingSetBefore < MaxWorkingSetGrowthBytes, $"working set grew by {(peakWorkingSet - workingSetBefore) >> 20} MiB");
        _ = done;
    }

    [Fact]
    public async Task Partitions_paused_as_soon_as_their_buffer_fills_are_all_read_to_the_end()
    {
        const int records = 10_000;
        var topic = fixture.CreateTopic("pause-race", 8);
        fixture.Produce(topic, records, keys: 400);
        // Two-record buffers paused at once: the stream often empties a buffer while the poll thread is pausing it, and a
        // partition paused with nothing left to take must still be resumed.
        var settings = KafkaTestSettings.Consumer(fixture.BootstrapServers, EmbeddedKafkaFixture.UniqueGroup("pause-race"))
            .WithPartitionBufferSize(2)
            .WithPauseAfter(TimeSpan.Zero);
        var (control, done) = KafkaSource.CommittableSource<string, string>(settings, Subscription.ForTopics(topic))
            .SelectAsync(4, async message =>
            {
                // Bursts: mostly as fast as records come, now and then a short stop that lets buffers fill.
                if (Random.Shared.Next(32) == 0)
                    await Task.Delay(1);
                return message;
            })
            .ToMaterialized(Sink.Ignore<CommittableMessage<string, string>>(), Keep.Both)
            .Run(Sys.Materializer());

        var clock = Stopwatch.StartNew();
        var consumed = 0L;
        var lastProgress = Stopwatch.StartNew();
        while (control.Metrics.ConsumedRecords < records && lastProgress.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
            if (control.Metrics.ConsumedRecords == consumed)
                continue;
            consumed = control.Metrics.ConsumedRecords;
            lastProgress.Restart();
        }
        var metrics = control.Metrics;
        await control.Shutdown();
        output.WriteLine($"consumed {metrics.ConsumedRecords} of {records} in {clock.Elapsed.TotalSeconds:F1} s; lag per partition: " +
                         string.Join(", ", metrics.LagPerPartition.OrderBy(p => p.Key.Partition.Value).Select(p => $"{p.Key.Partition.Value}:{p.Value}")));
        Assert.Equal(records, metrics.ConsumedRecords);
        _ = done;
    }

    private void ProduceSmallRecords(string topic)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            LingerMs = 20,
            BatchNumMessages = 10_000,
            CompressionType = CompressionType.Lz4
        }).Build();
        var value = new byte[16];
        for (var i = 0; i < Backlog; i++)
        {
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
