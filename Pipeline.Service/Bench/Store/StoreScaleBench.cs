using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using Npgsql;
using Pipeline.Core.Storage;
using Pipeline.Core.Storage.PostgreSql;
using Pipeline.Core.UseCaseRuntime;

namespace Pipeline.Service.Bench.Store;

/// <summary>
/// <c>pipeline bench store --scale</c>: the PostgreSQL history store on a scale model of production's history. Loads a history
/// of realistic shape into a scratch schema of the store's own tables at growing sizes and, at each, measures what a platform
/// engineer sizes a server by: load time, disk, insert rows/s alone and under reads, the activation read warm and cold,
/// a burst of activations under the normal write load with and without the rebuild limit, and dropping an expired day.
/// The scratch schema is dropped at the end.
/// </summary>
internal sealed class StoreScaleBench(HistoryStoreSettings settings, StoreScaleOptions options, TextWriter output)
{
    // The window an entity reads: the longest use-case history (recurring-charge-increase: 70 days) covers every day held.
    private static readonly TimeSpan Window = TimeSpan.FromDays(70);
    private static readonly DateTimeOffset NewestDay = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var schema = "bench_scale_" + Guid.NewGuid().ToString("N")[..12];
        // The server here allows 100 connections to everyone; Npgsql's default pool of 100 would make an unbounded burst
        // fail on the server's limit (and other clients with it) instead of on the pool, as with a server sized for its nodes.
        var configured = new NpgsqlConnectionStringBuilder(settings.PostgreSql.ConnectionString);
        if (!settings.PostgreSql.ConnectionString.Contains("Pool Size", StringComparison.OrdinalIgnoreCase))
            configured.MaxPoolSize = 50;
        var connectionString = configured.ConnectionString;
        await using var store = new PostgreSqlHistoryStore(new PostgreSqlStoreSettings(connectionString, schema));
        // Loading a day, ANALYZE and dropping the schema run for minutes at 60 million rows: past Npgsql's 30 s command timeout.
        await using var bulk = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
        await using var unprepared = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 0, ApplicationName = "bench-unprepared" }.ConnectionString);
        try
        {
            await store.InitializeAsync(cancellationToken);
            var history = new ScaleHistory(bulk, schema, DayBucket.Of(NewestDay), options.Days);
            await history.CreatePartitionsAsync(cancellationToken);
            var reads = new ActivationReads(store, unprepared, schema, settings.ReadPageSize, NewestDay.AddDays(1), Window);
            var writes = new ScaleWriteLoad(store, settings.Write, history);
            var unread = new UnreadCustomers(21);
            output.WriteLine($"bench store --scale: schema {schema} on {settings.PostgreSql.RedactedConnectionString}; {options.Days} daily partitions, " +
                             $"{ScaleHistory.RecordsPerCustomerDay} records per customer and day of ~200 B; write flow: batches of up to {settings.Write.MaxSize}, " +
                             $"{settings.Write.Parallelism} in flight, retry deadline {settings.Write.RetryDeadline.TotalSeconds:F0} s; pool of {configured.MaxPoolSize} connections, " +
                             $"bursts with rebuild limits {string.Join(", ", options.RebuildLimits)} and none");
            foreach (var size in options.SizesRows)
                await MeasureSizeAsync(new Scratch(schema, store, bulk, history, reads, writes, unread), size, cancellationToken);
        }
        finally
        {
            await using var drop = bulk.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
            output.WriteLine($"schema {schema} dropped");
        }
    }

    /// <summary>The scratch history and what measures it.</summary>
    private sealed record Scratch(string Schema, IHistoryStore Store, NpgsqlDataSource Bulk, ScaleHistory History, ActivationReads Reads,
        ScaleWriteLoad Writes, UnreadCustomers Unread);

    private async Task MeasureSizeAsync(Scratch scratch, long size, CancellationToken cancellationToken)
    {
        var (schema, store, bulk, history, reads, writes, unread) = scratch;
        var rowsBefore = history.Rows;
        var loadTime = await history.GrowToAsync(size, cancellationToken);
        var analyzeClock = Stopwatch.StartNew();
        await using (var analyze = bulk.CreateCommand($"ANALYZE {schema}.{PostgreSqlNames.Table(HistoryTable.Records)}"))
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        var disk = await history.DiskBytesAsync(cancellationToken);
        output.WriteLine();
        output.WriteLine($"== {history.Rows:N0} rows, {history.Customers:N0} customers, {history.HeldDays.Count} days ({history.Rows / history.HeldDays.Count:N0} rows/day)");
        output.WriteLine($"load   +{history.Rows - rowsBefore:N0} rows by binary COPY in {loadTime.TotalSeconds:F0} s = {(history.Rows - rowsBefore) / loadTime.TotalSeconds:N0} rows/s; " +
                         $"ANALYZE {analyzeClock.Elapsed.TotalSeconds:F1} s [{Load()}]");
        output.WriteLine($"disk   {disk / 1e9:F2} GB = {disk / (double)history.Rows:F0} B/row (records and customers-by-day, indexes included)");

        // Warm: the same customers read a second time. Prepared (the store) and planned on every page (before), alternating.
        var warmCustomers = unread.Draw(options.ReadSamples, history.Customers);
        foreach (var customer in warmCustomers)
            await reads.ReadAsync(customer, cancellationToken);
        var warm = await ActivationReads.TimeAsync(warmCustomers, c => reads.ReadAsync(c, cancellationToken));
        var warmUnprepared = await ActivationReads.TimeAsync(warmCustomers, c => reads.ReadUnpreparedAsync(c, cancellationToken));
        output.WriteLine($"read   warm  prepared {Percentiles(warm.Micros)}, unprepared {Percentiles(warmUnprepared.Micros)}; {warm.MeanRows:F0} rows per window [{Load()}]");

        var dropped = OsPageCache.TryDrop();
        var coldCustomers = unread.Draw(options.ReadSamples, history.Customers);
        var cold = await ActivationReads.TimeAsync(coldCustomers, c => reads.ReadAsync(c, cancellationToken));
        output.WriteLine($"read   cold  prepared {Percentiles(cold.Micros)} (customers never read; OS page cache {(dropped ? "dropped" : "NOT dropped: not root")}) [{Load()}]");

        var alone = await RunForAsync(writes.RunFullSpeedAsync);
        output.WriteLine($"insert alone         {alone.RowsPerSecond:N0} rows/s, batch p50/p99 {Percentiles(alone.LatencyMicros)} [{Load()}]");
        var (underReads, readerResult) = await WithReadersAsync(history, reads, () => RunForAsync(writes.RunFullSpeedAsync));
        output.WriteLine($"insert under {options.ConcurrentReaders} readers {underReads.RowsPerSecond:N0} rows/s, batch p50/p99 {Percentiles(underReads.LatencyMicros)}; " +
                         $"reads {readerResult.Reads / readerResult.Elapsed.TotalSeconds:N0}/s at p50/p99 {Percentiles(readerResult.Micros)} [{Load()}]");

        foreach (var limit in options.RebuildLimits.Append(int.MaxValue))
        {
            OsPageCache.TryDrop();
            var customers = unread.Draw(options.BurstActivations, history.Customers);
            using var stopWrites = new CancellationTokenSource();
            var normal = writes.RunPacedAsync(options.NormalWriteRate, stopWrites.Token);
            var burst = await ActivationBurst.RunAsync(customers, new RebuildLimit(limit), c => reads.ReadAsync(c));
            await stopWrites.CancelAsync();
            var written = await normal;
            var name = limit == int.MaxValue ? "no limit" : $"limit {limit}";
            output.WriteLine($"burst  {burst.Activations:N0} activations, {name,-8}: all done in {burst.Elapsed.TotalSeconds:F1} s = {burst.PerSecond:N0} activations/s, " +
                             $"{burst.Failed:N0} failed ({100.0 * burst.Failed / burst.Activations:F0} %){(burst.FirstError is { } e ? $" first: {e}" : "")}; " +
                             $"writes at {options.NormalWriteRate:N0} rows/s: batch p99 {Ms(written.LatencyMicros.GetValueAtPercentile(99))} ms, " +
                             $"max {Ms(written.LatencyMicros.GetMaxValue())} ms, {written.SlowerThanOneSecond} batches over 1 s, {written.Failed} failed [{Load()}]");
            if (written.FirstError is { } writeError)
                output.WriteLine($"       first failed write: {writeError}");
        }

        var oldest = history.HeldDays[0];
        var dropClock = Stopwatch.StartNew();
        var droppedDays = await store.DropDaysBeforeAsync(oldest + 1, cancellationToken);
        var dropTime = dropClock.Elapsed;
        history.HeldDays.RemoveAt(0);
        history.Rows -= droppedDays.Sum(d => d.Rows);
        output.WriteLine($"expiry dropped {DayBucket.Date(oldest):yyyy-MM-dd} ({droppedDays.Sum(d => d.Rows):N0} rows) in {dropTime.TotalMilliseconds:F0} ms " +
                         $"(the store's retention pass: counts the day's rows, then DROP TABLE) [{Load()}]");
    }

    private async Task<ScaleWriteLoad.Result> RunForAsync(Func<CancellationToken, Task<ScaleWriteLoad.Result>> run)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.MeasureSeconds));
        return await run(stop.Token);
    }

    private sealed record ReaderResult(long Reads, TimeSpan Elapsed, LongHistogram Micros);

    private async Task<(T Result, ReaderResult Readers)> WithReadersAsync<T>(ScaleHistory history, ActivationReads reads, Func<Task<T>> measured)
    {
        using var stop = new CancellationTokenSource();
        var histogram = new LongHistogram(TimeStamp.Minutes(10), 3);
        long count = 0;
        var clock = Stopwatch.StartNew();
        var readers = Enumerable.Range(0, options.ConcurrentReaders).Select(r => Task.Run(async () =>
        {
            var random = new Random(r);
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                await reads.ReadAsync(ScaleHistory.CustomerId(random.Next(history.Customers)));
                var micros = Math.Max(1, (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                lock (histogram)
                    histogram.RecordValue(micros);
                Interlocked.Increment(ref count);
            }
        })).ToList();
        var result = await measured();
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        return (result, new ReaderResult(count, clock.Elapsed, histogram));
    }

    private static string Percentiles(LongHistogram micros) =>
        $"{Ms(micros.GetValueAtPercentile(50))}/{Ms(micros.GetValueAtPercentile(99))} ms";

    private static string Ms(long micros) => (micros / 1000.0).ToString("F1", CultureInfo.InvariantCulture);

    private static string Load() => "load " + File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
