using Pipeline.Core.Kafka;
using Pipeline.Core.Measurement;
using Prometheus;

namespace Pipeline.Service.Run;

/// <summary>Counters of a running job, shared by the streams, the terminal view and /metrics.</summary>
internal sealed class RunStatistics
{
    private static readonly Counter RecordsIn = Metrics.CreateCounter("pipeline_records_in_total", "Records consumed by a stream.", "stream");
    private static readonly Counter RecordsOut = Metrics.CreateCounter("pipeline_records_out_total", "Records produced by a stream and acknowledged by Kafka.", "stream");
    private static readonly Histogram EndToEnd = Metrics.CreateHistogram("pipeline_latency_seconds",
        "Time from the input record's Kafka timestamp to the acknowledgement of its output.",
        new HistogramConfiguration { LabelNames = ["stream"], Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
    private static readonly Gauge Lag = Metrics.CreateGauge("pipeline_consumer_lag", "Records behind the end of the partition.", "stream", "partition");

    private long _generated;
    private long _processed;

    public LatencyRecorder Latency { get; } = new();

    public long Generated => Interlocked.Read(ref _generated);

    public long Processed => Interlocked.Read(ref _processed);

    public void OnGenerated() => Interlocked.Increment(ref _generated);

    public void OnProcessed(string stream, TimeSpan latency)
    {
        Interlocked.Increment(ref _processed);
        RecordsIn.WithLabels(stream).Inc();
        RecordsOut.WithLabels(stream).Inc();
        Latency.Record(latency);
        EndToEnd.WithLabels(stream).Observe(latency.TotalSeconds);
    }

    public void PublishLag(string stream, ConsumerMetrics metrics)
    {
        foreach (var (partition, lag) in metrics.LagPerPartition)
            Lag.WithLabels(stream, partition.ToString()).Set(lag);
    }
}
