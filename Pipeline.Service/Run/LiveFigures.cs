using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Service.Run;

/// <summary>
/// The figures of a running node taken once per refresh: per stream records/s, lag and latency percentiles over the last
/// interval, and the experiments' counts over time. The terminal view and the console (through the admin API) both read
/// <see cref="Latest"/>, so they show the same numbers; latency intervals are taken here and nowhere else.
/// </summary>
internal sealed class LiveFigures(RunStatistics statistics, Experiments experiments, int historyPoints)
{
    private readonly Dictionary<string, long> _lastProcessed = new();
    private readonly Dictionary<string, Queue<ExperimentPoint>> _history = new();
    private readonly object _sampling = new();
    private long _lastGenerated;
    private DateTime _lastAt = DateTime.UtcNow;

    public FiguresSnapshot Latest { get; private set; } = new(DateTime.UtcNow, 0, []);

    /// <summary>Each experiment's counts at the last <c>historyPoints</c> samples, oldest first.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ExperimentPoint>> ExperimentHistory
    {
        get
        {
            lock (_sampling)
                return _history.ToDictionary(h => h.Key, h => (IReadOnlyList<ExperimentPoint>)h.Value.ToList());
        }
    }

    /// <summary>Samples every <paramref name="refresh"/> until <paramref name="stop"/>.</summary>
    public async Task RunAsync(TimeSpan refresh, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try { await Task.Delay(refresh, stop); }
            catch (OperationCanceledException) { return; }
            Sample();
        }
    }

    /// <summary>Takes the interval since the previous sample and makes it <see cref="Latest"/>.</summary>
    public FiguresSnapshot Sample()
    {
        lock (_sampling)
        {
            var now = DateTime.UtcNow;
            var seconds = Math.Max(0.001, (now - _lastAt).TotalSeconds);
            var generated = statistics.Generated;
            var streams = new List<Sample>();
            foreach (var (stream, counters) in statistics.Streams)
            {
                var processed = counters.Processed;
                var last = _lastProcessed.GetValueOrDefault(stream);
                streams.Add(new Sample(stream, (processed - last) / seconds, processed, counters.Lag, counters.Latency.TakeInterval(), counters.Findings));
                _lastProcessed[stream] = processed;
            }
            var snapshot = new FiguresSnapshot(now, (generated - _lastGenerated) / seconds, streams);
            (_lastGenerated, _lastAt, Latest) = (generated, now, snapshot);
            foreach (var key in experiments.BShares.Keys)
            {
                if (!_history.TryGetValue(key, out var points))
                    _history[key] = points = new Queue<ExperimentPoint>();
                points.Enqueue(ExperimentPoint.Of(key, now));
                while (points.Count > historyPoints)
                    points.Dequeue();
            }
            return snapshot;
        }
    }
}

/// <summary>The node's streams at one sample.</summary>
internal sealed record FiguresSnapshot(DateTime At, double GeneratedPerSecond, IReadOnlyList<Sample> Streams);

/// <summary>An experiment's cumulative counts at one instant: feedback produced and delivered per variant.</summary>
internal sealed record ExperimentPoint(DateTime At, double ProducedA, double ProducedB, double DeliveredA, double DeliveredB)
{
    public static ExperimentPoint Of(string key, DateTime at)
    {
        var name = UseCaseNames.ToName(key);
        return new ExperimentPoint(at,
            ExperimentMetrics.Produced.WithLabels(name, "A").Value, ExperimentMetrics.Produced.WithLabels(name, "B").Value,
            ExperimentMetrics.Delivered.WithLabels(name, "A").Value, ExperimentMetrics.Delivered.WithLabels(name, "B").Value);
    }
}
