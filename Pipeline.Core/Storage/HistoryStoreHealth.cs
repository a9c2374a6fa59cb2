using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Pipeline.Core.Storage;

/// <summary>
/// Whether a store accepts writes, as the write flows see it: failing since the first failed attempt, fine again at the next
/// accepted batch. A restarted stream whose first write waits for the same outage keeps the outage's start, so readiness
/// stays false for the whole outage rather than only between a failure and the restart.
/// </summary>
public sealed class HistoryStoreHealth
{
    private static readonly ConditionalWeakTable<IHistoryStore, HistoryStoreHealth> ByStore = new();
    private long _failingSince;

    /// <summary>The health of <paramref name="store"/>, shared by every flow that writes to it.</summary>
    public static HistoryStoreHealth Of(IHistoryStore store) => ByStore.GetValue(store, _ => new HistoryStoreHealth());

    internal void Failed() => Interlocked.CompareExchange(ref _failingSince, Stopwatch.GetTimestamp(), 0);

    internal void Accepted() => Interlocked.Exchange(ref _failingSince, 0);

    /// <summary>True when writes have been failing for at least <paramref name="deadline"/> with none accepted since.</summary>
    public bool UnavailableFor(TimeSpan deadline)
    {
        var since = Interlocked.Read(ref _failingSince);
        return since != 0 && Stopwatch.GetElapsedTime(since) >= deadline;
    }
}
