using HdrHistogram;

namespace Pipeline.Core.Measurement;

/// <summary>
/// Records latencies (microseconds) from many threads into an HdrHistogram, and hands out the interval
/// since the last look as well as the whole run.
/// </summary>
public sealed class LatencyRecorder
{
    private static readonly long HighestMicros = TimeSpan.FromMinutes(10).Ticks / 10;

    private readonly Recorder _recorder = HistogramFactory.With64BitBucketSize()
        .WithValuesFrom(1).WithValuesUpTo(HighestMicros).WithPrecisionOf(3)
        .WithThreadSafeWrites().WithThreadSafeReads().Create();

    private readonly HistogramBase _total = HistogramFactory.With64BitBucketSize()
        .WithValuesFrom(1).WithValuesUpTo(HighestMicros).WithPrecisionOf(3).Create();

    private readonly object _read = new();

    public void Record(TimeSpan latency) =>
        _recorder.RecordValue(Math.Clamp(latency.Ticks / 10, 1, HighestMicros));

    /// <summary>What was recorded since the previous call.</summary>
    public LatencySnapshot TakeInterval()
    {
        lock (_read)
        {
            var interval = _recorder.GetIntervalHistogram();
            _total.Add(interval);
            return LatencySnapshot.Of(interval);
        }
    }

    /// <summary>Everything recorded up to the last <see cref="TakeInterval"/>.</summary>
    public LatencySnapshot Total()
    {
        lock (_read)
            return LatencySnapshot.Of(_total);
    }
}

/// <summary>Percentiles of a set of latencies, in milliseconds.</summary>
public sealed record LatencySnapshot(long Count, double P50, double P99, double P999, double Max)
{
    internal static LatencySnapshot Of(HistogramBase histogram) => histogram.TotalCount == 0
        ? new LatencySnapshot(0, 0, 0, 0, 0)
        : new LatencySnapshot(
            histogram.TotalCount,
            histogram.GetValueAtPercentile(50) / 1000.0,
            histogram.GetValueAtPercentile(99) / 1000.0,
            histogram.GetValueAtPercentile(99.9) / 1000.0,
            histogram.GetMaxValue() / 1000.0);

    public string ToLine() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"p50={P50:F1}ms p99={P99:F1}ms p99.9={P999:F1}ms max={Max:F1}ms over {Count} records");
}
