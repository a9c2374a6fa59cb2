using System.Collections.Concurrent;
using Pipeline.Core.Kafka;
using Pipeline.Core.Measurement;
using Pipeline.Core.UseCaseRuntime;
using Prometheus;

namespace Pipeline.Service.Run;

/// <summary>Counters of a running job per stream (upstream, each use case, downstream), shared by the streams, the terminal view and /metrics.</summary>
internal sealed class RunStatistics
{
    private static readonly Counter RecordsOut = Metrics.CreateCounter("pipeline_records_out_total", "Inputs a stream finished: outputs acknowledged, offset ready to commit.", "stream");
    private static readonly Histogram EndToEnd = Metrics.CreateHistogram("pipeline_latency_seconds",
        "Time from the raw record's Kafka timestamp to the acknowledgement of this stream's output for it.",
        new HistogramConfiguration { LabelNames = ["stream"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
    private static readonly Gauge Lag = Metrics.CreateGauge("pipeline_consumer_lag", "Records behind the end of the partition.", "stream", "partition");

    private readonly ConcurrentDictionary<string, StreamCounters> _streams = new();
    private long _generated;

    public long Generated => Interlocked.Read(ref _generated);

    /// <summary>The streams seen so far, in the order they first reported.</summary>
    public IReadOnlyList<(string Stream, StreamCounters Counters)> Streams =>
        _streams.OrderBy(s => s.Value.Order).Select(s => (s.Key, s.Value)).ToList();

    public long ProcessedBy(string stream) => _streams.TryGetValue(stream, out var counters) ? counters.Processed : 0;

    public void OnGenerated() => Interlocked.Increment(ref _generated);

    /// <summary>Registers a stream so the view lists it before its first record.</summary>
    public void Register(string stream) => CountersOf(stream);

    /// <summary>
    /// Records stamped before this instant are counted but kept out of the streams' latency recorders (not out of
    /// /metrics): a benchmark's warm-up, whose records a lagging stage may still be finishing after the warm-up ended.
    /// </summary>
    public DateTime RecordLatencyFrom { get; set; } = DateTime.MinValue;

    /// <param name="latency">From the raw record's timestamp until now.</param>
    public void OnProcessed(string stream, TimeSpan latency)
    {
        var counters = CountersOf(stream);
        counters.OnProcessed(latency, record: DateTime.UtcNow - latency >= RecordLatencyFrom);
        counters.RecordsOut.Inc();
        counters.EndToEnd.Observe(latency.TotalSeconds);
    }

    /// <summary>A use case's input is done: its latency, and its findings per variant.</summary>
    public void OnUseCaseProcessed(string stream, Pipeline.Core.UseCaseRuntime.UseCaseProgress progress)
    {
        OnProcessed(stream, progress.Latency);
        foreach (var finding in progress.Findings)
            CountersOf(stream).OnFinding(finding.Variant);
    }

    private StreamCounters CountersOf(string stream) =>
        _streams.GetOrAdd(stream, static (name, streams) => new StreamCounters(streams.Count, RecordsOut.WithLabels(name), EndToEnd.WithLabels(name)), _streams);

    public void PublishLag(string stream, ConsumerMetrics metrics)
    {
        if (_streams.TryGetValue(stream, out var counters))
            counters.Lag = metrics.TotalLag;
        foreach (var (partition, lag) in metrics.LagPerPartition)
            Lag.WithLabels(stream, partition.ToString()).Set(lag);
    }
}

/// <summary>One stream's counters, and its children of the Prometheus metrics (looked up once, not per record).</summary>
internal sealed class StreamCounters(int order, Counter.Child recordsOut, Histogram.Child endToEnd)
{
    private long _processed;

    public int Order { get; } = order;

    public Counter.Child RecordsOut { get; } = recordsOut;

    public Histogram.Child EndToEnd { get; } = endToEnd;

    public LatencyRecorder Latency { get; } = new();

    public long Processed => Interlocked.Read(ref _processed);

    public long Lag { get; set; }

    private readonly ConcurrentDictionary<string, long> _findings = new(StringComparer.Ordinal);

    /// <summary>A use case stream's findings per variant, e.g. "A 12, B 9"; empty for other streams or before the first.</summary>
    public string Findings => string.Join(", ", _findings.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{f.Key} {f.Value:N0}")));

    public void OnFinding(string variant) => _findings.AddOrUpdate(variant, 1, static (_, n) => n + 1);

    public void OnProcessed(TimeSpan latency, bool record)
    {
        Interlocked.Increment(ref _processed);
        if (record)
            Latency.Record(latency);
    }
}
