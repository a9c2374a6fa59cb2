using System.Diagnostics;
using HdrHistogram;
using Pipeline.Core.Storage;

namespace Pipeline.Service.Bench.Store;

/// <summary>
/// Live writes on the newest day for random existing customers, through the write flow's own retrying append: either as fast
/// as the store takes batches of the write flow's max size, or paced at a normal rate in batches of what one max delay gathers.
/// </summary>
internal sealed class ScaleWriteLoad(IHistoryStore store, HistoryWriteSettings settings, ScaleHistory history)
{
    private long _sequence;

    /// <summary>What a run wrote: rows, time, per-batch latency, and batches slower than one second or failed.</summary>
    public sealed record Result(long Rows, TimeSpan Elapsed, LongHistogram LatencyMicros, int SlowerThanOneSecond, int Failed, string? FirstError)
    {
        public double RowsPerSecond => Rows / Elapsed.TotalSeconds;
    }

    /// <summary>As fast as the store takes them, with the write flow's parallelism and max batch size, until <paramref name="stop"/>.</summary>
    public Task<Result> RunFullSpeedAsync(CancellationToken stop) => RunAsync(rowsPerSecond: null, stop);

    /// <summary>At <paramref name="rowsPerSecond"/>, one batch per max delay (each of what that delay gathered), until <paramref name="stop"/>.</summary>
    public Task<Result> RunPacedAsync(int rowsPerSecond, CancellationToken stop) => RunAsync(rowsPerSecond, stop);

    private async Task<Result> RunAsync(int? rowsPerSecond, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var latency = new LongHistogram(TimeStamp.Minutes(10), 3);
        long rows = 0;
        int slow = 0, failed = 0;
        string? firstError = null;
        var gate = new object();
        var perWriter = rowsPerSecond / (double)settings.Parallelism;
        var pause = settings.MaxDelay > TimeSpan.Zero ? settings.MaxDelay : TimeSpan.FromMilliseconds(20);

        async Task WriteAsync(int writer)
        {
            var random = new Random(writer * 7919 + (int)_sequence);
            long written = 0;
            while (!stop.IsCancellationRequested)
            {
                var size = settings.MaxSize;
                if (perWriter is { } rate)
                {
                    var owed = (long)(rate * clock.Elapsed.TotalSeconds) - written;
                    if (owed < 1)
                    {
                        await Task.Delay(pause, CancellationToken.None);
                        continue;
                    }
                    size = (int)Math.Min(owed, settings.MaxSize);
                }
                var batch = NewRows(size, random);
                var started = Stopwatch.GetTimestamp();
                var stored = size;
                try
                {
                    await HistoryWriteRetry.AppendAsync(store, batch, settings);
                }
                catch (HistoryStoreUnavailableException e)
                {
                    stored = 0;
                    lock (gate)
                    {
                        failed++;
                        firstError ??= e.Message;
                    }
                }
                var took = Stopwatch.GetElapsedTime(started);
                written += size;
                lock (gate)
                {
                    latency.RecordValue(Math.Max(1, (long)took.TotalMicroseconds));
                    rows += stored;
                    if (took > TimeSpan.FromSeconds(1))
                        slow++;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, settings.Parallelism).Select(w => Task.Run(() => WriteAsync(w), CancellationToken.None)));
        history.Rows += rows;
        return new Result(rows, clock.Elapsed, latency, slow, failed, firstError);
    }

    private List<HistoryRow> NewRows(int count, Random random)
    {
        var dayStart = DateTimeOffset.FromUnixTimeMilliseconds(DayBucket.StartMillis(history.LastDay));
        var rows = new List<HistoryRow>(count);
        for (var i = 0; i < count; i++)
        {
            var n = Interlocked.Increment(ref _sequence);
            var customer = random.Next(history.Customers);
            rows.Add(new HistoryRow(HistoryTable.Records, ScaleHistory.CustomerId(customer), dayStart.AddMilliseconds(random.Next(86_400_000)),
                $"live-{n:D10}", "transaction", ScaleHistory.Payload(n).ToArray()));
        }
        return rows;
    }
}
