using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Pipeline.Core.Storage;

/// <summary>
/// Whether a store accepts writes, as the write flows see it: failing since the start of the first write that failed, fine
/// again at the next accepted batch. A restarted stream whose first write waits for the same outage keeps the outage's
/// start, so readiness stays false for the whole outage rather than only between a failure and the restart.
/// </summary>
public sealed class HistoryStoreHealth
{
    private static readonly ConditionalWeakTable<IHistoryStore, HistoryStoreHealth> ByStore = new();
    private long _failingSince;

    /// <summary>The health of <paramref name="store"/>, shared by every flow that writes to it.</summary>
    public static HistoryStoreHealth Of(IHistoryStore store) => ByStore.GetValue(store, _ => new HistoryStoreHealth());

    /// <summary>A write that began at <paramref name="writeStarted"/> (a <see cref="Stopwatch"/> timestamp) failed.</summary>
    /// <remarks>
    /// The outage counts from when the failing write began, as the write's retry deadline does: a first attempt can wait
    /// a while (SQLite's busy timeout) before it fails, and counting from its failure would leave the node ready for that
    /// long after the retry gave up and the stream restarted.
    /// </remarks>
    internal void Failed(long writeStarted) => Interlocked.CompareExchange(ref _failingSince, writeStarted, 0);

    internal void Accepted() => Interlocked.Exchange(ref _failingSince, 0);

    /// <summary>True when writes have been failing for at least <paramref name="deadline"/> with none accepted since.</summary>
    public bool UnavailableFor(TimeSpan deadline)
    {
        var since = Interlocked.Read(ref _failingSince);
        return since != 0 && Stopwatch.GetElapsedTime(since) >= deadline;
    }
}
