using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.Replay;

/// <summary>
/// Follows a replay to its end: it is finished once every partition is done, that is had nothing to replay when it
/// started (empty, or its last record older than the start time), delivered its record before the noted end offset,
/// or delivered a record past the bounds. Counts what the replay read, evaluated and sent.
/// </summary>
public sealed class ReplayProgress
{
    private readonly object _gate = new();
    private readonly ReplayBounds _bounds;
    private readonly HashSet<Confluent.Kafka.TopicPartition> _pending;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _records;
    private long _evaluated;
    private long _feedback;

    public ReplayProgress(IReadOnlyList<PartitionEnd> ends, DateTimeOffset from, ReplayBounds bounds)
    {
        _bounds = bounds;
        // A partition whose last record is older than the start has nothing to replay: the source skips every record of it.
        _pending = ends.Where(e => e.High > e.Low && e.LastTimestamp >= from).Select(e => e.Partition).ToHashSet();
        if (_pending.Count == 0)
            _finished.TrySetResult();
    }

    /// <summary>Completes when every partition is done.</summary>
    public Task Finished => _finished.Task;

    /// <summary>Records read, including those past the bounds.</summary>
    public long Records => Interlocked.Read(ref _records);

    /// <summary>Records the use case evaluated.</summary>
    public long Evaluated => Interlocked.Read(ref _evaluated);

    /// <summary>Feedback records sent.</summary>
    public long Feedback => Interlocked.Read(ref _feedback);

    /// <summary>Called by the stream after each input is done.</summary>
    public void Observe(UseCaseProgress progress)
    {
        Interlocked.Increment(ref _records);
        if (progress.Evaluated)
            Interlocked.Increment(ref _evaluated);
        Interlocked.Add(ref _feedback, progress.Feedback);
        var position = progress.Position;
        var partition = position.TopicPartition;
        var last = _bounds.EndOffsets.GetValueOrDefault(partition) - 1;
        if (position.Offset.Value < last && !_bounds.IsPastUntil(progress.Timestamp))
            return;
        lock (_gate)
        {
            if (_pending.Remove(partition) && _pending.Count == 0)
                _finished.TrySetResult();
        }
    }
}
