using System.Diagnostics.Tracing;
using Pipeline.Core.Measurement;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>
/// Each time this process's threads were stopped for a garbage collection, from the runtime's own events (execution
/// engine suspended for a GC, then restarted): the pauses every stage of the in-process diamond waited through, to set
/// beside the latency tails. Only pauses that began at or after the measurement start are recorded.
/// </summary>
internal sealed class GcPauseRecorder(DateTime measureFrom) : RuntimeGcListener
{
    private const int RestartExecutionEngineEnd = 3;
    private const int SuspendExecutionEngineBegin = 9;

    // The runtime's suspension reasons that are garbage collections (SUSPEND_FOR_GC, SUSPEND_FOR_GC_PREP).
    private static readonly HashSet<uint> GcReasons = [1, 6];

    private readonly LatencyRecorder _pauses = new();
    private DateTime? _suspendedAt;
    private long _totalTicks;

    protected override EventLevel Level => EventLevel.Informational;

    // The runtime delivers its events to a listener one at a time, in order.
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId == SuspendExecutionEngineBegin && eventData.PayloadNames is { } names && eventData.Payload is { } payload
            && GcReasons.Contains(Convert.ToUInt32(payload[names.IndexOf("Reason")])))
            _suspendedAt = eventData.TimeStamp;
        else if (eventData.EventId == RestartExecutionEngineEnd && _suspendedAt is { } suspended)
        {
            _suspendedAt = null;
            if (suspended < measureFrom)
                return;
            var pause = eventData.TimeStamp - suspended;
            _pauses.Record(pause);
            Interlocked.Add(ref _totalTicks, pause.Ticks);
        }
    }

    /// <summary>The pauses since the measurement start, and their sum.</summary>
    public (LatencySnapshot Pauses, TimeSpan Total) Take() => (_pauses.TakeInterval(), TimeSpan.FromTicks(Interlocked.Read(ref _totalTicks)));
}
