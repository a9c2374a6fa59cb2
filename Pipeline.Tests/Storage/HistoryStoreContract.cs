using System.Threading.Channels;
using Akka.Streams;
using Akka.Streams.TestKit;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Configuration;
using Pipeline.Core.Storage;
using static Pipeline.Tests.Storage.TestRows;

namespace Pipeline.Tests.Storage;

/// <summary>
/// The behaviour every history store must have, run against each implementation by a subclass that
/// supplies a fresh store (its own file or schema) and a way to pause it from another connection.
/// </summary>
public abstract partial class HistoryStoreContract : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    protected static readonly HistoryWriteSettings FastWrites = new(
        MaxSize: 100, MaxDelay: TimeSpan.FromMilliseconds(10), Parallelism: 2,
        MinBackoff: TimeSpan.FromMilliseconds(20), MaxBackoff: TimeSpan.FromMilliseconds(200), RetryDeadline: TimeSpan.FromSeconds(30));

    /// <summary>
    /// The shipped defaults (checked every hour) with the seed's 60 days kept, which the retention tests count from, and
    /// any share of the store droppable (the few days of these tests are each a large share).
    /// </summary>
    protected static readonly HistoryStoreSettings RetentionSettings =
        HistoryStoreSettings.Create(PipelineConfig.Defaults()) with { Retention = TimeSpan.FromDays(60), RetentionMaxDropShare = 1 };

    /// <summary>A stream time on <paramref name="clock"/> with the shipped future skew (1 h).</summary>
    protected static StreamTime StreamTimeOn(TimeProvider clock) => new(TimeSpan.FromHours(1), clock);

    /// <summary>Retries that outlast a 10 s outage with room to spare.</summary>
    protected static readonly HistoryWriteSettings OutageWrites = FastWrites with { MaxSize = 50, Parallelism = 2, MaxDelay = TimeSpan.FromMilliseconds(20) };

    protected HistoryStoreContract() : base("akka.loglevel = WARNING") { }

    protected IHistoryStore Store { get; private set; } = null!;

    /// <summary>A new, empty store of the implementation under test, not yet initialized.</summary>
    protected abstract Task<IHistoryStore> CreateStoreAsync();

    /// <summary>Makes the store refuse or block writes (a lock held by another connection) until the result is disposed; reads go on.</summary>
    protected abstract Task<IAsyncDisposable> PauseStoreAsync();

    /// <summary>Drops the customers-by-day table, leaving the store as one written before that table existed.</summary>
    protected abstract Task DropCustomerDaysTableAsync();

    public virtual async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.InitializeAsync();
    }

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task Initializing_twice_keeps_the_schema_and_the_rows()
    {
        await Store.AppendAsync([Record("c-1", Noon, "t-1")]);
        await Store.InitializeAsync();
        Assert.Single(await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-1")));
    }

    [Fact]
    public async Task Rows_written_over_several_days_read_back_equal_in_clustering_order()
    {
        // Out of order on purpose, with equal event times broken by id, over three day buckets.
        var rows = new List<HistoryRow>
        {
            Record("c-1", Noon.AddDays(1), "t-b"),
            Record("c-1", Noon, "t-z"),
            Record("c-1", Noon.AddDays(-1), "t-x"),
            Record("c-1", Noon.AddDays(1), "t-a"),
            Record("c-1", Noon, "t-y")
        };
        await Store.AppendAsync(rows);

        var read = await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-1"));

        Assert.Equal(InClusteringOrder(rows), read);
        Assert.Equal(["t-x", "t-y", "t-z", "t-a", "t-b"], read.Select(r => r.Id));
    }

    [Fact]
    public async Task Pages_split_a_range_without_gaps_or_repeats()
    {
        var rows = Records("c-1", Noon.AddHours(-20), 250);
        await Store.AppendAsync(rows);
        var query = Everything(HistoryTable.Records, "c-1");

        var first = await Store.ReadPageAsync(query, null, 100);
        var second = await Store.ReadPageAsync(query, first.Next, 100);
        var third = await Store.ReadPageAsync(query, second.Next, 100);

        Assert.Equal([100, 100, 50], new[] { first.Rows.Count, second.Rows.Count, third.Rows.Count });
        Assert.Null(third.Next);
        Assert.Equal(rows, first.Rows.Concat(second.Rows).Concat(third.Rows));
    }

    [Fact]
    public async Task The_read_source_fetches_a_page_only_when_downstream_pulls()
    {
        await Store.AppendAsync(Records("c-1", Noon, 95));
        var counting = new CountingHistoryStore(Store);
        var probe = HistoryReads.Source(counting, Everything(HistoryTable.Records, "c-1"), pageSize: 10)
            .RunWith(this.SinkProbe<HistoryRow>(), Sys.Materializer());

        probe.Request(5);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"t-{i:D6}"), probe.ExpectNextN(5).Select(r => r.Id));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, counting.PagesRead);

        probe.Request(100);
        var rest = probe.ExpectNextN(90);
        probe.ExpectComplete();
        Assert.Equal(Enumerable.Range(5, 90).Select(i => $"t-{i:D6}"), rest.Select(r => r.Id));
        Assert.Equal(10, counting.PagesRead);
    }

    [Fact]
    public async Task A_range_includes_its_start_and_excludes_its_end_also_across_midnight()
    {
        var from = new DateTimeOffset(2026, 11, 24, 23, 0, 0, TimeSpan.Zero);
        var to = from.AddHours(2);
        await Store.AppendAsync(
        [
            Record("c-1", from.AddMilliseconds(-1), "before"),
            Record("c-1", from, "at-start"),
            Record("c-1", from.AddHours(1), "midnight"),
            Record("c-1", to.AddMilliseconds(-1), "last"),
            Record("c-1", to, "at-end")
        ]);

        var read = await ReadAllAsync(Store, new HistoryQuery(HistoryTable.Records, "c-1", from, to), pageSize: 2);

        Assert.Equal(["at-start", "midnight", "last"], read.Select(r => r.Id));
        Assert.Empty(await ReadAllAsync(Store, new HistoryQuery(HistoryTable.Records, "c-1", from, from)));
    }

    [Fact]
    public async Task A_customer_reads_only_its_own_rows()
    {
        await Store.AppendAsync([.. Records("c-1", Noon, 30, "one"), .. Records("c-2", Noon, 20, "two"), .. Records("c-10", Noon, 10, "ten")]);

        var one = await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-1"));
        var two = await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-2"));

        Assert.Equal(30, one.Count);
        Assert.All(one, r => Assert.Equal("c-1", r.CustomerId));
        Assert.All(one, r => Assert.StartsWith("one-", r.Id, StringComparison.Ordinal));
        Assert.Equal(20, two.Count);
        Assert.All(two, r => Assert.StartsWith("two-", r.Id, StringComparison.Ordinal));
        Assert.Empty(await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-3")));
    }

    [Fact]
    public async Task Outputs_are_kept_apart_from_records_with_their_use_case()
    {
        // The same key in both tables: two independent rows.
        await Store.AppendAsync(
        [
            Record("c-1", Noon, "same-id"),
            Output("c-1", Noon, "same-id", "duplicate-charge"),
            Output("c-1", Noon.AddMinutes(1), "f-2", "subscription-increase")
        ]);

        var records = await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-1"));
        var outputs = await ReadAllAsync(Store, Everything(HistoryTable.Outputs, "c-1"));

        Assert.Equal([Record("c-1", Noon, "same-id")], records);
        Assert.Equal(
            [Output("c-1", Noon, "same-id", "duplicate-charge"), Output("c-1", Noon.AddMinutes(1), "f-2", "subscription-increase")],
            outputs);
    }

    [Fact]
    public async Task The_same_10000_records_written_twice_leave_10000_rows_and_the_first_payloads()
    {
        var customers = Enumerable.Range(0, 10).Select(c => $"c-{c}").ToList();
        var rows = customers.SelectMany(c => Records(c, Noon.AddDays(-2), 1000)).ToList();
        foreach (var batch in rows.Chunk(1000))
            await Store.AppendAsync(batch);

        // The replay carries other payloads: the store keeps what it had, like an idempotent sink should.
        var replay = rows.Select(r => new HistoryRow(r.Table, r.CustomerId, r.EventTime, r.Id, r.Kind, [1, 2, 3])).ToList();
        foreach (var batch in replay.Chunk(700))
            await Store.AppendAsync(batch);

        var stored = new List<HistoryRow>();
        foreach (var customer in customers)
            stored.AddRange(await ReadAllAsync(Store, Everything(HistoryTable.Records, customer)));
        Assert.Equal(10_000, stored.Count);
        Assert.Equal(rows.ToHashSet(), stored.ToHashSet());
    }

    [Fact]
    public async Task Each_day_lists_the_customers_with_records_that_day_once_in_id_order_page_by_page()
    {
        var day = DayBucket.Of(Noon);
        await Store.AppendAsync(
        [
            .. Records("c-3", Noon, 5), .. Records("c-1", Noon.AddHours(-11), 3), Record("c-2", Noon.AddHours(11), "late"),
            Record("c-4", Noon.AddDays(-1), "yesterday"), Record("c-5", Noon.AddDays(1), "tomorrow"),
            // Outputs do not make a customer a customer of the day: only records do.
            Output("c-9", Noon, "f-1")
        ]);
        await Store.AppendAsync(Records("c-1", Noon, 2, "again"));

        Assert.Equal(["c-1", "c-2"], await Store.ReadCustomersAsync(day, null, 2));
        Assert.Equal(["c-3"], await Store.ReadCustomersAsync(day, "c-2", 2));
        Assert.Empty(await Store.ReadCustomersAsync(day, "c-3", 2));
        Assert.Equal(["c-4"], await Store.ReadCustomersAsync(day - 1, null, 10));
        Assert.Equal(["c-5"], await Store.ReadCustomersAsync(day + 1, null, 10));
        Assert.Empty(await Store.ReadCustomersAsync(day + 2, null, 10));
    }

    [Fact]
    public async Task A_store_written_before_the_customers_by_day_table_gets_it_filled_from_its_records()
    {
        await Store.AppendAsync([Record("c-2", Noon, "t-1"), Record("c-1", Noon, "t-2"), Record("c-1", Noon.AddDays(-3), "t-3")]);
        await DropCustomerDaysTableAsync();

        await Store.InitializeAsync();

        Assert.Equal(["c-1", "c-2"], await Store.ReadCustomersAsync(DayBucket.Of(Noon), null, 10));
        Assert.Equal(["c-1"], await Store.ReadCustomersAsync(DayBucket.Of(Noon.AddDays(-3)), null, 10));
        await Store.AppendAsync([Record("c-3", Noon, "t-4")]);
        Assert.Equal(["c-1", "c-2", "c-3"], await Store.ReadCustomersAsync(DayBucket.Of(Noon), null, 10));
    }

    [Fact]
    public async Task Expiry_drops_the_days_older_than_the_retention_in_both_tables()
    {
        var now = Noon;
        var retention = TimeSpan.FromDays(60);
        await Store.AppendAsync(
        [
            Record("c-1", now.AddDays(-62), "t-62d"),
            Output("c-1", now.AddDays(-61), "f-61d"),
            Record("c-2", now.AddDays(-61), "t-61d"),
            Record("c-1", now - retention - TimeSpan.FromHours(1), "t-60d-1h"),
            Record("c-1", now.AddDays(-59), "t-59d"),
            Output("c-1", now, "f-now")
        ]);

        var dropped = await Store.ExpireAsync(now, retention);

        Assert.Equal([new DroppedDay(DateOnly.FromDateTime(now.AddDays(-62).UtcDateTime), 1), new DroppedDay(DateOnly.FromDateTime(now.AddDays(-61).UtcDateTime), 2)], dropped);
        // 11:00 sixty days ago shares its day with the cutoff: the day is kept whole.
        Assert.Equal(["t-60d-1h", "t-59d"], (await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-1"))).Select(r => r.Id));
        Assert.Empty(await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-2")));
        Assert.Equal(["f-now"], (await ReadAllAsync(Store, Everything(HistoryTable.Outputs, "c-1"))).Select(r => r.Id));
        Assert.Empty(await Store.ReadCustomersAsync(DayBucket.Of(now.AddDays(-61)), null, 10));
        Assert.Equal(["c-1"], await Store.ReadCustomersAsync(DayBucket.Of(now.AddDays(-59)), null, 10));
        Assert.Empty(await Store.ExpireAsync(now, retention));
    }

    [Fact]
    public async Task Scheduled_retention_counts_back_from_the_newest_record_at_start_and_at_each_check()
    {
        await Store.AppendAsync(
        [
            Record("c-1", Noon.AddDays(-62), "t-62d"),
            Output("c-1", Noon.AddDays(-61), "f-61d"),
            Record("c-1", Noon.AddDays(-59), "t-59d"),
            Record("c-1", Noon.AddDays(-58), "t-58d"),
            Record("c-2", Noon, "t-now"),
            Output("c-1", Noon, "f-now")
        ]);
        var clock = new FakeTimeProvider(Noon);
        var runs = Channel.CreateUnbounded<RetentionRun>();
        using var stop = new CancellationTokenSource();
        var schedule = HistoryRetention.Start(Store, RetentionSettings, StreamTimeOn(clock), clock, stop.Token, run => runs.Writer.TryWrite(run));

        // At start: the two days past sixty are dropped from both tables, and said with their rows.
        var atStart = await NextRunAsync(runs);
        Assert.Null(atStart.Failure);
        Assert.Equal(Noon, atStart.At);
        Assert.Equal(Noon, atStart.Reference);
        Assert.Equal([new DroppedDay(DateOf(Noon.AddDays(-62)), 1), new DroppedDay(DateOf(Noon.AddDays(-61)), 1)], atStart.Dropped);
        Assert.True(atStart.IsWarning);
        Assert.Contains("dropped 2 rows in 2 day(s)", atStart.ToString(), StringComparison.Ordinal);
        Assert.Equal(["t-59d", "t-58d"], (await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-1"))).Select(r => r.Id));
        Assert.Equal(["f-now"], (await ReadAllAsync(Store, Everything(HistoryTable.Outputs, "c-1"))).Select(r => r.Id));

        // Nothing runs before the interval is over: the next run is the one of the full hour.
        clock.Advance(TimeSpan.FromMinutes(30));
        clock.Advance(TimeSpan.FromMinutes(30));
        var nextHour = await NextRunAsync(runs);
        Assert.Equal(Noon.AddHours(1), nextHour.At);
        Assert.Empty(nextHour.Dropped);
        Assert.False(nextHour.IsWarning);

        // Ten days of the machine's clock with no newer record age nothing: the stream time has not moved.
        clock.Advance(TimeSpan.FromDays(10));
        var idle = await NextRunAsync(runs);
        Assert.Equal(Noon, idle.Reference);
        Assert.Empty(idle.Dropped);
        Assert.Equal(["t-59d", "t-58d"], (await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-1"))).Select(r => r.Id));

        // A record two days newer moves the stream time: the day 59 days before the start is past the retention too.
        await Store.AppendAsync([Record("c-2", Noon.AddDays(2), "t-2d")]);
        clock.Advance(RetentionSettings.RetentionCheckInterval);
        var later = await NextRunAsync(runs);
        Assert.Equal(Noon.AddDays(2), later.Reference);
        Assert.Equal(DateOf(Noon.AddDays(-58)), later.OldestKept);
        Assert.Equal([new DroppedDay(DateOf(Noon.AddDays(-59)), 1)], later.Dropped);
        Assert.Equal(["t-58d"], (await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-1"))).Select(r => r.Id));
        Assert.Equal(["f-now"], (await ReadAllAsync(Store, Everything(HistoryTable.Outputs, "c-1"))).Select(r => r.Id));

        await stop.CancelAsync();
        await schedule.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(schedule.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Retention_of_a_store_whose_newest_record_is_old_drops_nothing_however_late_the_clock()
    {
        // The default run's shape: a timeline that starts 90 days back, restarted when 30 simulated days are stored.
        await Store.AppendAsync([.. Records("c-1", Noon.AddDays(-90), 3, "early"), .. Records("c-1", Noon.AddDays(-60), 3, "late")]);
        var clock = new FakeTimeProvider(Noon);

        var run = await HistoryRetention.ExpireOnceAsync(Store, RetentionSettings, StreamTimeOn(clock), clock.GetUtcNow());

        Assert.Null(run.Failure);
        Assert.Equal(Noon.AddDays(-60).AddMinutes(2), run.Reference);
        Assert.Empty(run.Dropped);
        Assert.Equal(6, (await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-1"))).Count);
    }

    [Fact]
    public async Task A_pass_that_would_drop_more_than_the_allowed_share_drops_nothing_and_says_why()
    {
        // Four old days and one record far newer (a store restored from an old backup, then fed today's records).
        await Store.AppendAsync([.. Enumerable.Range(0, 4).Select(d => Record("c-1", Noon.AddDays(-200 + d), $"old-{d}")), Record("c-1", Noon, "new")]);
        var clock = new FakeTimeProvider(Noon);
        var settings = RetentionSettings with { RetentionMaxDropShare = 0.25 };

        var refused = await HistoryRetention.ExpireOnceAsync(Store, settings, StreamTimeOn(clock), clock.GetUtcNow());

        Assert.Empty(refused.Dropped);
        Assert.True(refused.IsWarning);
        Assert.Contains("would drop 4 of them", refused.ToString(), StringComparison.Ordinal);
        Assert.Contains("pipeline.store.retention-max-drop-share = 0.25", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(5, (await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-1"))).Count);

        // Told otherwise, the same pass drops them.
        var allowed = await HistoryRetention.ExpireOnceAsync(Store, settings with { RetentionMaxDropShare = 1 }, StreamTimeOn(clock), clock.GetUtcNow());
        Assert.Equal(4, allowed.Dropped.Count);
        Assert.Equal(["new"], (await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-1"))).Select(r => r.Id));
    }

    [Fact]
    public async Task A_reused_key_with_other_content_comes_back_as_a_conflict_and_an_exact_repeat_does_not()
    {
        var first = Record("c-1", Noon, "t-dup-1") with { };
        await Store.AppendAsync([first, Record("c-1", Noon, "t-2")]);
        var other = new HistoryRow(HistoryTable.Records, "c-1", Noon, "t-dup-1", first.Kind, [.. first.Payload, 0x42]);
        var repeat = new HistoryRow(HistoryTable.Records, "c-1", Noon, "t-2", first.Kind, Record("c-1", Noon, "t-2").Payload);
        var fresh = Record("c-1", Noon, "t-3");

        var conflicts = await Store.AppendAsync([repeat, other, fresh]);

        var conflict = Assert.Single(conflicts);
        Assert.Same(other, conflict.Offered);
        Assert.Equal(first.Payload, conflict.StoredPayload);
        Assert.Equal(first.Kind, conflict.StoredKind);
        // The stored row stays; the new row of the batch is written.
        var stored = await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-1"));
        Assert.Equal(["t-2", "t-3", "t-dup-1"], stored.Select(r => r.Id));
        Assert.Equal(first.Payload, stored.Single(r => r.Id == "t-dup-1").Payload);
        Assert.Empty(await Store.AppendAsync([first, repeat, fresh]));
    }

    [Fact]
    public async Task A_key_twice_in_one_batch_with_other_content_is_one_conflict()
    {
        var first = Record("c-1", Noon, "t-dup-1");
        var other = new HistoryRow(HistoryTable.Records, "c-1", Noon, "t-dup-1", first.Kind, [.. first.Payload, 0x42]);

        var conflicts = await Store.AppendAsync([first, other]);

        Assert.Same(other, Assert.Single(conflicts).Offered);
        Assert.Equal(first.Payload, Assert.Single(await ReadAllAsync(Store, Everything(HistoryTable.Records, "c-1"))).Payload);
    }

    [Fact]
    public async Task The_newest_record_time_and_the_record_days_are_read_from_the_store()
    {
        Assert.Null(await Store.ReadNewestRecordTimeAsync());
        await Store.AppendAsync([Record("c-1", Noon.AddDays(-3), "t-1"), Record("c-2", Noon.AddHours(2), "t-2"), Output("c-1", Noon.AddDays(1), "f")]);

        Assert.Equal(Noon.AddHours(2), await Store.ReadNewestRecordTimeAsync());
        Assert.Equal([DayBucket.Of(Noon.AddDays(-3)), DayBucket.Of(Noon)], await Store.ReadRecordDaysAsync());
    }

    /// <summary>The next run a retention schedule reported.</summary>
    protected static async Task<RetentionRun> NextRunAsync(Channel<RetentionRun> runs) =>
        await runs.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    private static DateOnly DateOf(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);
}
