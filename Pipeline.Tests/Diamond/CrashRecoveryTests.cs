using System.Diagnostics;
using Confluent.Kafka;
using Pipeline.Contracts;
using Pipeline.Core.Generator;
using Pipeline.Core.Storage;
using Pipeline.Core.Storage.Sqlite;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Tests.Generator;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Diamond;

/// <summary>
/// The real `pipeline run` as a child process on the embedded Kafka, killed with SIGKILL at random moments and restarted,
/// while it works through a backlog of generated records: afterwards every record is in the history store once, and the
/// notifications, once repeated ids are dropped, are exactly those of an uninterrupted run.
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class CrashRecoveryTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output)
{
    private const int RecordCount = 200_000;
    private const int Kills = 5;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Killed_five_times_mid_run_it_stores_every_record_once_and_delivers_exactly_the_uninterrupted_notifications()
    {
        var clock = Stopwatch.StartNew();
        await using var diamond = await DiamondHarness.CreateAsync(kafka);
        var records = TransactionGenerator.Create(GeneratorTests.DefaultSettings("pipeline.generator.customers=1000", "pipeline.generator.start-before-now=100d"))
            .Records().Take(RecordCount).ToList();
        diamond.ProduceRaw(records);
        output.WriteLine($"{records.Count} records produced ({clock.Elapsed.TotalSeconds:F0} s)");
        // The uninterrupted run's notifications, worked out while the pipeline runs.
        var expectedNotifications = Task.Run(() => ExpectedNotifications.Compute(
            records.Select(r => RawRecordParser.Parse(r.Value)), diamond.Settings.UseCases, new Experiments(diamond.Settings.Downstream.BSharePercent)));

        var arguments = new[] { "run" }.Concat(diamond.ChildArguments(
            "pipeline.http.port=0", "pipeline.progress.refresh-interval=2s",
            // Compressed, the topics stay well inside the embedded Kafka's per-partition retention.
            "akka.kafka.producer.kafka-clients.compression.type=lz4",
            // A killed member stays in its groups until its session times out; a short one lets the next process in sooner.
            "akka.kafka.consumer.kafka-clients.session.timeout.ms=3000", "akka.kafka.consumer.kafka-clients.heartbeat.interval.ms=500")).ToArray();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"kill moments from seed {seed}");
        for (var kill = 1; kill <= Kills; kill++)
        {
            using var run = PipelineProcess.Start(arguments);
            run.WaitForLine(line => line.StartsWith("pipeline run |", StringComparison.Ordinal), Timeout);
            var after = TimeSpan.FromMilliseconds(random.Next(1_000, 14_000));
            await Task.Delay(after);
            run.Signal("KILL");
            Assert.True(run.WaitForExit(TimeSpan.FromSeconds(10)), "the killed process did not exit");
            output.WriteLine($"kill {kill} {after.TotalSeconds:F1} s after start; progress then: {LastProgress(run.Output)} ({clock.Elapsed.TotalSeconds:F0} s)");
        }

        using (var last = PipelineProcess.Start(arguments))
        {
            last.WaitForLine(line => line.StartsWith("pipeline run |", StringComparison.Ordinal), Timeout);
            await WaitUntilEveryGroupCommittedAllAsync(diamond, Timeout);
            last.Signal("TERM");
            Assert.True(last.WaitForExit(TimeSpan.FromSeconds(30)), "pipeline run did not stop on SIGTERM:\n" + last.Output);
            Assert.Equal(0, last.ExitCode);
        }
        var processingSeconds = clock.Elapsed.TotalSeconds;
        output.WriteLine($"every stage committed the end of its input after {processingSeconds:F0} s in all " +
                         $"({records.Count / processingSeconds:F0} records/s including produce, kills and restarts)");

        // The embedded Kafka drops a partition's oldest data past its retention: a count is only worth something if it did not.
        foreach (var topic in new[] { diamond.Settings.Topics.Raw, diamond.Settings.Topics.Transactions, diamond.Settings.Topics.Feedback, diamond.Settings.Topics.Notifications })
            Assert.Equal(0L, LowWatermarkTotal(diamond.Bootstrap, topic));

        await AssertEveryRecordStoredOnceAsync(diamond, records);

        var expected = await expectedNotifications;

        var notifications = await diamond.ReadAsync<Notification>(diamond.Settings.Topics.Notifications, expected.Count, Timeout);
        var repeated = notifications.GroupBy(n => n.Value.notificationId).Where(g => g.Count() > 1).ToList();
        output.WriteLine($"{expected.Count} notifications expected, {notifications.Count} read, {repeated.Sum(g => g.Count() - 1)} repeated" +
                         (repeated.Count == 0 ? "" : $": {string.Join(", ", repeated.Select(g => $"{g.Key} x{g.Count()}"))}"));
        Assert.All(repeated, g => Assert.Single(g.Select(n => $"{n.Value.customerId}|{n.Value.transactionId}|{n.Value.message}").Distinct()));
        Assert.Equal(expected.Keys.Order(), notifications.Select(n => n.Value.notificationId).Distinct().Order());
        output.WriteLine($"checked after {clock.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>Every record read back through the store, customer by customer: each one present, none twice, nothing else.</summary>
    private async Task AssertEveryRecordStoredOnceAsync(DiamondHarness diamond, IReadOnlyList<GeneratedRecord> records)
    {
        var stored = await diamond.StoredRecordsAsync(records.Select(r => r.Key).Distinct());
        output.WriteLine($"{stored.Count} records in the history store");
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Equal(records.Select(r => (r.Key, r.TransactionId)).Order(), stored.Order());
    }

    /// <summary>Waits until upstream, every use case and downstream have committed the end of their input topics.</summary>
    private static async Task WaitUntilEveryGroupCommittedAllAsync(DiamondHarness diamond, TimeSpan timeout)
    {
        var settings = diamond.Settings;
        var partitions = DiamondHarness.Partitions;
        var groups = new List<(string Group, string Topic)> { (settings.Upstream.Consumer.GroupId!, settings.Topics.Raw) };
        groups.AddRange(settings.UseCases.Select(u => u.UseCase.ConfigKey).Distinct()
            .Select(key => (settings.UseCaseStreams.GroupIdFor(key), settings.Topics.Transactions)));
        groups.Add((settings.Downstream.Consumer.GroupId!, settings.Topics.Feedback));
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // In diamond order: once upstream is done the use cases' input is complete, and so on down.
            var behind = groups
                .Select(g => (g.Group, Behind: TopicReader.EndOffsetsTotal(diamond.Bootstrap, g.Topic, partitions) - TopicReader.CommittedTotal(diamond.Bootstrap, g.Group, g.Topic, partitions)))
                .Where(g => g.Behind > 0)
                .ToList();
            if (behind.Count == 0)
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("still behind: " + string.Join(", ", behind.Select(b => $"{b.Group} {b.Behind}")));
            await Task.Delay(1000);
        }
    }

    private static long LowWatermarkTotal(string bootstrap, string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "watermarks" }).Build();
        return Enumerable.Range(0, DiamondHarness.Partitions)
            .Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).Low.Value);
    }

    /// <summary>The last processed count the process printed for each stream.</summary>
    private static string LastProgress(string output) => string.Join("; ", output.Split('\n')
        .Where(line => line.StartsWith("stream=", StringComparison.Ordinal))
        .GroupBy(line => line.Split(' ')[0])
        .Select(g => g.Last().Split(' ').Where(part => part.StartsWith("stream=", StringComparison.Ordinal) || part.StartsWith("processed=", StringComparison.Ordinal)))
        .Select(parts => string.Join(' ', parts).Replace("stream=", "", StringComparison.Ordinal)));
}
