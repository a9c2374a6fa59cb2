using System.Diagnostics.Tracing;
using Pipeline.Core.Measurement;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>
/// Each time this process's threads were stopped for a garbage collection, from the runtime's own events (execution
/// engine suspended for a GC, then restarted): the pauses every stage of the in-process diamond waited through, to set
/// beside the latency tails, in all and by the kind of collection that ran in them, and how long stopping the threads
/// took of each (until every managed thread reached a safe point: on a machine whose cores are busy with other threads,
/// that waits for them to be scheduled), and what each collection had to keep: the bytes it promoted, the pinned
/// objects and the GC handles (the collector's heap statistics at its end). Only pauses that began at or after the
/// measurement start are recorded.
/// </summary>
internal sealed class GcPauseRecorder(DateTime measureFrom) : RuntimeGcListener
{
    private const int GcStart = 1;
    private const int RestartExecutionEngineEnd = 3;
    private const int HeapStats = 4;
    private const int SuspendExecutionEngineEnd = 8;
    private const int SuspendExecutionEngineBegin = 9;
    private const uint BackgroundGc = 1;

    // The runtime's suspension reasons that are garbage collections (SUSPEND_FOR_GC, SUSPEND_FOR_GC_PREP).
    private static readonly HashSet<uint> GcReasons = [1, 6];

    private readonly LatencyRecorder _pauses = new();
    private readonly LatencyRecorder _suspensions = new();
    private readonly List<CollectionStats> _collections = [];
    private readonly Dictionary<string, LatencyRecorder> _pausesByKind = [];
    private DateTime? _suspendedAt;
    private TimeSpan? _suspension;
    private CollectionStats? _stats;
    private string? _kind;
    private long _totalTicks;

    protected override EventLevel Level => EventLevel.Informational;

    // The runtime delivers its events to a listener one at a time, in order.
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId == SuspendExecutionEngineBegin && GcReasons.Contains(Payload(eventData, "Reason")))
        {
            _suspendedAt = eventData.TimeStamp;
            _suspension = null;
            _stats = null;
            _kind = null;
        }
        else if (eventData.EventId == HeapStats && _suspendedAt is not null)
            _stats = new CollectionStats(
                PayloadLong(eventData, "TotalPromotedSize0") + PayloadLong(eventData, "TotalPromotedSize1"),
                PayloadLong(eventData, "PinnedObjectCount"), PayloadLong(eventData, "GCHandleCount"));
        else if (eventData.EventId == SuspendExecutionEngineEnd && _suspendedAt is { } suspending && _suspension is null)
            _suspension = eventData.TimeStamp - suspending;
        else if (eventData.EventId == GcStart && _suspendedAt is not null)
            _kind = KindOf(Payload(eventData, "Depth"), Payload(eventData, "Type"));
        else if (eventData.EventId == RestartExecutionEngineEnd && _suspendedAt is { } suspended)
        {
            _suspendedAt = null;
            if (suspended < measureFrom)
                return;
            var pause = eventData.TimeStamp - suspended;
            _pauses.Record(pause);
            if (_suspension is { } suspension)
                _suspensions.Record(suspension);
            if (_stats is { } stats)
                lock (_collections)
                    _collections.Add(stats);
            Interlocked.Add(ref _totalTicks, pause.Ticks);
            var kind = _kind ?? "no start event";
            lock (_pausesByKind)
            {
                if (!_pausesByKind.TryGetValue(kind, out var recorder))
                    _pausesByKind[kind] = recorder = new LatencyRecorder();
                recorder.Record(pause);
            }
        }
    }

    /// <summary>The pauses since the measurement start, their sum, the time to stop the threads, what the collections kept, and the pauses by kind of collection (like "gen1").</summary>
    public GcPauses Take()
    {
        List<CollectionStats> collections;
        lock (_collections)
            collections = [.. _collections];
        lock (_pausesByKind)
            return new GcPauses(_pauses.TakeInterval(), TimeSpan.FromTicks(Interlocked.Read(ref _totalTicks)), _suspensions.TakeInterval(), collections,
                _pausesByKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.TakeInterval())).ToList());
    }

    // A background gen-2 collection stops the threads only to start and to finish; the gen-0/1 collections it lets
    // run meanwhile, and blocking gen-2 ones, stop them for all their work.
    private static string KindOf(uint generation, uint type) =>
        generation == 2 && type == BackgroundGc ? "gen2 background" : $"gen{generation}";

    private static long PayloadLong(EventWrittenEventArgs eventData, string name) =>
        PayloadValue(eventData, name) is { } value ? Convert.ToInt64(value) : 0;

    private static uint Payload(EventWrittenEventArgs eventData, string name) =>
        PayloadValue(eventData, name) is { } value ? Convert.ToUInt32(value) : uint.MaxValue;

    private static object? PayloadValue(EventWrittenEventArgs eventData, string name) =>
        eventData.PayloadNames is { } names && eventData.Payload is { } payload && names.IndexOf(name) is var index and >= 0
            ? payload[index]
            : null;
}

/// <summary>What one collection kept: bytes promoted out of generations 0 and 1, pinned objects, GC handles.</summary>
internal sealed record CollectionStats(long PromotedBytes, long PinnedObjects, long Handles);

/// <summary>The GC pauses of a measurement: all of them, their sum, the part of each spent stopping the threads, what each collection kept, and the pauses by kind of collection.</summary>
internal sealed record GcPauses(LatencySnapshot All, TimeSpan Total, LatencySnapshot Suspensions, IReadOnlyList<CollectionStats> Collections, IReadOnlyList<(string Kind, LatencySnapshot Pauses)> ByKind);
