using System.Diagnostics;
using Pipeline.Core.Hosting;
using Pipeline.Core.Upstream;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Tests.Diamond;
using Pipeline.Tests.Generator;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Faults;

/// <summary>
/// The whole diamond with its SQLite history store locked by another connection for longer than the write retry deadline:
/// the streams that write history fail loudly and the node stops being ready; once the lock goes, the supervisors restart
/// them: every record is stored once and every expected notification delivered (a repeat only under the same id).
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class StoreDeadlineTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan RetryDeadline = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan LockHeld = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task A_store_locked_past_the_write_deadline_fails_the_stream_loudly_turns_the_node_not_ready_and_a_restart_resumes_without_loss()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka,
            $"pipeline.store.write.retry-deadline={RetryDeadline.TotalSeconds}s",
            // A write waiting for the lock ends by the busy timeout, so it bounds how late past the deadline the stream fails.
            "pipeline.store.sqlite.busy-timeout=500ms",
            "pipeline.upstream.restart.min-backoff=500ms", "pipeline.upstream.restart.max-backoff=2s",
            "pipeline.downstream.restart.min-backoff=500ms", "pipeline.downstream.restart.max-backoff=2s");
        var records = DiamondTests.Generate(6_000);
        var expected = ExpectedNotifications.Compute(records.Select(r => RawRecordParser.Parse(r.Value)),
            diamond.Settings.UseCases, new Experiments(diamond.Settings.Downstream.BSharePercent));

        await diamond.StartAsync();
        var node = diamond.Node!;
        var upstream = node.Upstream!;
        await WaitUntilAsync(() => node.IsReady, Timeout, "the node was never ready after start");
        diamond.ProduceRaw(records.Take(2_000));
        await diamond.WaitForStageAsync(UpstreamSettings.StageName, 500, Timeout);

        var samples = new List<(TimeSpan At, bool Ready)>();
        long storedBeforeLock, storedWhileLocked;
        var clock = Stopwatch.StartNew();
        await using (await SqliteWriteLock.TakeAsync(diamond.Settings.Store.Sqlite.Path))
        {
            storedBeforeLock = diamond.Statistics.ProcessedBy(UpstreamSettings.StageName);
            // The rest flows in while the store is locked.
            diamond.ProduceRaw(records.Skip(2_000));
            while (clock.Elapsed < LockHeld)
            {
                samples.Add((clock.Elapsed, node.IsReady));
                await Task.Delay(50);
            }
            storedWhileLocked = diamond.Statistics.ProcessedBy(UpstreamSettings.StageName) - storedBeforeLock;
        }
        var released = clock.Elapsed;
        var upstreamRestarts = upstream.RestartCount;
        var downstreamRestarts = node.Downstream!.RestartCount;
        var failure = upstream.LastFailure;

        var pastDeadline = samples.Where(s => s.At > RetryDeadline + TimeSpan.FromSeconds(1.5)).ToList();
        var firstNotReady = samples.FirstOrDefault(s => !s.Ready).At;
        output.WriteLine($"lock held {released.TotalSeconds:F1} s; upstream processed {storedBeforeLock} before it, {storedWhileLocked} while locked");
        output.WriteLine($"restarts while locked: upstream {upstreamRestarts}, downstream {downstreamRestarts}; upstream's last failure: {failure}");
        output.WriteLine($"first not ready {firstNotReady.TotalSeconds:F1} s into the lock; not ready in {pastDeadline.Count(s => !s.Ready)} of " +
                         $"{pastDeadline.Count} samples past the deadline");

        // Failed loudly: the supervisor counted the failure and kept the message that names the store, the deadline and the fix.
        Assert.True(upstreamRestarts > 0, "upstream never failed while the store was locked past the deadline");
        Assert.Contains("pipeline.store.write.retry-deadline", failure, StringComparison.Ordinal);
        Assert.Contains(diamond.Settings.Store.Sqlite.Path, failure, StringComparison.Ordinal);
        // Ready until the deadline; from then on not ready until a write is accepted again, also while a restarted stream's
        // first write waits for the lock (the first refused write comes up to one busy timeout after the lock is taken).
        Assert.All(samples.Where(s => s.At < RetryDeadline - TimeSpan.FromSeconds(0.5)), s => Assert.True(s.Ready, $"not ready {s.At.TotalSeconds:F1} s into the lock, before the deadline"));
        Assert.NotEmpty(pastDeadline);
        Assert.All(pastDeadline, s => Assert.False(s.Ready, $"ready {s.At.TotalSeconds:F1} s into the lock, past the deadline"));

        await WaitUntilAsync(() => node.IsReady, Timeout, "the node did not become ready again after the lock was released");
        // A restarted stream resumes from its commits: every record stored once, every expected notification delivered.
        var notifications = await diamond.ReadNotificationsAsync(expected.Count, Timeout);
        output.WriteLine($"every notification read {(clock.Elapsed - released).TotalSeconds:F1} s after the release (the reader waits for a quiet topic)");
        var stored = await diamond.StoredRecordsAsync(records.Select(r => r.Key).Distinct());
        var repeated = notifications.GroupBy(n => n.notificationId).Where(g => g.Count() > 1).ToList();
        output.WriteLine($"{records.Count} records in, {stored.Count} history rows, {notifications.Count} notifications read, {expected.Count} expected, " +
                         $"{repeated.Sum(g => g.Count() - 1)} repeated");
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Equal(records.Select(r => (r.Key, r.TransactionId)).Order(), stored.Order());
        // Downstream produced some notifications whose rows the locked store refused; its restarted stream delivers them
        // again (at-least-once), each the same notification under the same id, so consumers drop the repeat by id.
        Assert.All(repeated, g => Assert.Single(g.Select(n => $"{n.customerId}|{n.transactionId}|{n.message}").Distinct()));
        Assert.Equal(expected.Keys.Order(), notifications.Select(n => n.notificationId).Distinct().Order());
        Assert.Equal(StreamState.Running, upstream.State);
        Assert.True(node.IsReady, "not ready after the backlog was delivered");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}
