using System.Diagnostics;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Pipeline.Core.Storage;
using static Pipeline.Tests.Storage.TestRows;

namespace Pipeline.Tests.Storage;

/// <summary>The history store contract, part two: the write flow (batching, order, backpressure) and its behaviour while the store is unavailable.</summary>
public abstract partial class HistoryStoreContract
{
    [Theory]
    [InlineData(10)]
    [InlineData(0)] // no waiting: batches form only while writes are in flight
    public async Task The_write_flow_emits_pass_through_values_in_order_and_only_once_their_rows_are_stored(int maxDelayMilliseconds)
    {
        // Elements carry 0 to 3 rows over 7 customers, so batches cut through elements of every shape.
        var elements = Enumerable.Range(0, 600).Select(i => (
            Rows: (IReadOnlyList<HistoryRow>)Enumerable.Range(0, i % 4)
                .Select(r => Record($"c-{i % 7}", Noon.AddSeconds(i), $"t-{i:D4}-{r}")).ToList(),
            Pass: i)).ToList();
        var byPass = elements.ToDictionary(e => e.Pass, e => e.Rows);

        var seen = await Source.From(elements)
            .Via(HistoryWrites.Flow<int>(Store, FastWrites with { MaxDelay = TimeSpan.FromMilliseconds(maxDelayMilliseconds) }))
            .SelectAsync(1, async pass =>
            {
                // Checked at the moment the value leaves the flow: its rows must already be readable.
                foreach (var row in byPass[pass])
                {
                    var page = await Store.ReadPageAsync(new HistoryQuery(HistoryTable.Records, row.CustomerId, row.EventTime, row.EventTime.AddMilliseconds(1)), null, 10);
                    Assert.Contains(row, page.Rows);
                }
                return pass;
            })
            .RunWith(Sink.Seq<int>(), Sys.Materializer());

        Assert.Equal(Enumerable.Range(0, 600), seen);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(0)]
    public async Task A_paused_store_stops_demand_within_the_batch_bound_and_the_flow_resumes_without_loss(int maxDelayMilliseconds)
    {
        var settings = FastWrites with { MaxSize = 10, Parallelism = 2, MaxDelay = TimeSpan.FromMilliseconds(maxDelayMilliseconds) };
        const int total = 300;
        var pulled = 0;
        var source = Source.From(Enumerable.Range(0, total)).Select(i =>
        {
            Interlocked.Increment(ref pulled);
            return ((IReadOnlyList<HistoryRow>)[Record($"c-{i % 3}", Noon.AddSeconds(i), $"t-{i:D4}")], i);
        });

        TestSubscriber.Probe<int> sink;
        await using (await PauseStoreAsync())
        {
            sink = source.Via(HistoryWrites.Flow<int>(Store, settings)).RunWith(this.SinkProbe<int>(), Sys.Materializer());
            sink.Request(total);
            var stalledAt = await WaitUntilStableAsync(() => Volatile.Read(ref pulled), TimeSpan.FromSeconds(1));

            // In flight at most: `parallelism` batches being written, one batch being filled, one element in hand.
            var bound = (settings.Parallelism + 1) * settings.MaxSize + 1;
            Assert.InRange(stalledAt, 1, bound);
            sink.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        }

        var passes = sink.ExpectNextN(total, TimeSpan.FromSeconds(30));
        sink.ExpectComplete();
        Assert.Equal(Enumerable.Range(0, total), passes);
        var stored = 0;
        for (var c = 0; c < 3; c++)
            stored += (await ReadAllAsync(Store, Everything(HistoryTable.Records, $"c-{c}"))).Count;
        Assert.Equal(total, stored);
    }

    [Fact]
    public async Task A_store_paused_mid_stream_past_the_retry_deadline_fails_the_stream_having_passed_on_only_stored_values()
    {
        var settings = OutageWrites with { RetryDeadline = TimeSpan.FromSeconds(2) };

        // The outage would last 10 s; the stream gives up after the deadline, and the values it passed on before were
        // each checked to be stored (else it would fail with another exception).
        var error = await Assert.ThrowsAsync<HistoryStoreUnavailableException>(() => WriteFlowUnderOutage.RunAsync(
            Store, Store, settings, PauseStoreAsync, TimeSpan.FromSeconds(10), 200, 400, Sys.Materializer()));

        Assert.Contains(Store.Description, error.Message, StringComparison.Ordinal);
        Assert.Contains("raise pipeline.store.write.retry-deadline", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_paused_past_the_retry_deadline_fails_the_flow_naming_the_store_and_the_cause()
    {
        var settings = FastWrites with { RetryDeadline = TimeSpan.FromSeconds(1.5) };
        await using var pause = await PauseStoreAsync();

        var run = Source.Single(((IReadOnlyList<HistoryRow>)[Record("c-1", Noon, "t-1")], 1))
            .Via(HistoryWrites.Flow<int>(Store, settings))
            .RunWith(Sink.Seq<int>(), Sys.Materializer());

        var error = await Assert.ThrowsAsync<HistoryStoreUnavailableException>(() => run);
        Assert.Contains(Store.Description, error.Message, StringComparison.Ordinal);
        Assert.Contains("cause:", error.Message, StringComparison.Ordinal);
        Assert.Contains("retry-deadline", error.Message, StringComparison.Ordinal);
        // What to do about it, in the same message.
        Assert.Contains("Check that the store is running and reachable", error.Message, StringComparison.Ordinal);
        Assert.Contains("raise pipeline.store.write.retry-deadline", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Elements_without_rows_pass_during_an_outage_without_making_the_store_look_available()
    {
        var settings = FastWrites with { RetryDeadline = TimeSpan.FromSeconds(1) };
        var health = HistoryStoreHealth.Of(Store);
        await using (await PauseStoreAsync())
        {
            var refused = await Xunit.Record.ExceptionAsync(() => Source.Single(((IReadOnlyList<HistoryRow>)[Record("c-1", Noon, "t-1")], 1))
                .Via(HistoryWrites.Flow<int>(Store, settings)).RunWith(Sink.Seq<int>(), Sys.Materializer()));
            Assert.IsType<HistoryStoreUnavailableException>(refused is AggregateException aggregate ? aggregate.InnerException : refused);
            Assert.True(health.UnavailableFor(TimeSpan.Zero), "the refused batch did not mark the store as failing");

            // A batch of only row-less elements (dead letters, filtered feedback) needs no write: it passes, and says nothing
            // about the store, so readiness stays false for the whole outage.
            var passed = await Source.Single(((IReadOnlyList<HistoryRow>)[], 2))
                .Via(HistoryWrites.Flow<int>(Store, settings)).RunWith(Sink.Seq<int>(), Sys.Materializer());
            Assert.Equal([2], passed);
            Assert.True(health.UnavailableFor(TimeSpan.Zero), "a batch without rows made the paused store look available");
        }

        await Source.Single(((IReadOnlyList<HistoryRow>)[Record("c-1", Noon, "t-2")], 3))
            .Via(HistoryWrites.Flow<int>(Store, settings)).RunWith(Sink.Seq<int>(), Sys.Materializer());
        Assert.False(health.UnavailableFor(TimeSpan.Zero), "an accepted batch did not end the outage");
    }

    /// <summary>
    /// Sends elements (one row each, up to 400/s) through the write flow with the store unavailable for 10 s in the
    /// middle, and checks what must hold whatever the fault: the stream resumed by itself and finished, every value came
    /// out once and in order, each only after its row was stored (see <see cref="WriteFlowUnderOutage"/>), the store holds
    /// every row, and no more elements than the flow's batch bound were ever pulled ahead of what came out.
    /// </summary>
    protected async Task<OutageRun> RunThroughOutageAsync(IHistoryStore store, IHistoryStore observer, Func<Task<IAsyncDisposable>> startOutage)
    {
        var run = await WriteFlowUnderOutage.RunAsync(store, observer, OutageWrites, startOutage, TimeSpan.FromSeconds(10), 200, 400, Sys.Materializer());

        Assert.Equal(Enumerable.Range(0, run.Sent), run.Passes);
        Assert.Equal(run.Sent, run.StoredAtEnd.Count);
        Assert.Equal(Enumerable.Range(0, run.Sent).Select(WriteFlowUnderOutage.Row).ToHashSet(), run.StoredAtEnd.ToHashSet());
        // In flight at most: one written batch still leaving, `parallelism` batches being written, one batch being filled,
        // one element in hand and one being checked.
        Assert.InRange(run.MaxInFlight, 0, (OutageWrites.Parallelism + 2) * OutageWrites.MaxSize + 2);
        return run;
    }

    /// <summary>
    /// For an outage that blocks every write: what left the flow while it lasted had been stored before it began, and once
    /// the batches committed just before it had left, nothing more did.
    /// </summary>
    protected static void AssertNothingLeftTheFlowDuringTheOutage(OutageRun run)
    {
        Assert.InRange(run.EmittedWhenStarted, 1, run.StoredWhenStarted);
        Assert.InRange(run.EmittedWhenEnded, run.EmittedWhenStarted, run.StoredWhenStarted);
        Assert.Equal(run.EmittedAfterSettling, run.EmittedWhenEnded);
    }

    /// <summary>Polls <paramref name="read"/> until it has not changed for <paramref name="quiet"/>; returns the settled value.</summary>
    protected static async Task<int> WaitUntilStableAsync(Func<int> read, TimeSpan quiet)
    {
        var value = read();
        var unchanged = Stopwatch.StartNew();
        var overall = Stopwatch.StartNew();
        while (unchanged.Elapsed < quiet)
        {
            if (overall.Elapsed > TimeSpan.FromSeconds(20))
                throw new TimeoutException($"the value kept changing for 20s (last {value})");
            await Task.Delay(50);
            var now = read();
            if (now != value)
            {
                value = now;
                unchanged.Restart();
            }
        }
        return value;
    }
}
