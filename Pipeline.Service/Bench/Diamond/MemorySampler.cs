using System.Diagnostics;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>
/// Samples this process's memory every 100 ms while it runs: the working set (everything resident, including the
/// embedded broker's copy of every topic, which lives in this process), the managed heap's live estimate
/// (GC.GetTotalMemory), the heap size after the last GC (GC.GetGCMemoryInfo) and the live data a full collection found
/// (the bytes a gen-2 collection, background or blocking, kept: garbage of older generations is not in it).
/// </summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly long _baseline;
    private readonly TimeSpan _cpuAtStart;
    private readonly long _allocatedAtStart = GC.GetTotalAllocatedBytes();
    private readonly TimeSpan _pausedAtStart = GC.GetTotalPauseDuration();
    private readonly int _gen2AtStart = GC.CollectionCount(2);
    private long _peakWorkingSet;
    private long _peakTotalMemory;
    private long _peakHeapSize;
    private long _peakLive;

    private MemorySampler()
    {
        using var self = Process.GetCurrentProcess();
        _baseline = self.WorkingSet64;
        _cpuAtStart = self.TotalProcessorTime;
        _loop = Task.Run(SampleAsync);
    }

    /// <summary>Starts sampling; the working set at this moment is the baseline.</summary>
    public static MemorySampler Start() => new();

    private async Task SampleAsync()
    {
        using var self = Process.GetCurrentProcess();
        while (!_stop.IsCancellationRequested)
        {
            self.Refresh();
            _peakWorkingSet = Math.Max(_peakWorkingSet, self.WorkingSet64);
            _peakTotalMemory = Math.Max(_peakTotalMemory, GC.GetTotalMemory(forceFullCollection: false));
            _peakHeapSize = Math.Max(_peakHeapSize, GC.GetGCMemoryInfo().HeapSizeBytes);
            _peakLive = Math.Max(_peakLive, LiveAfterFullCollection());
            try { await Task.Delay(Interval, _stop.Token); }
            catch (OperationCanceledException) { }
        }
    }

    /// <summary>The bytes the latest gen-2 collection (background or blocking) found alive, 0 before the first one.</summary>
    private static long LiveAfterFullCollection()
    {
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        return background.Index > blocking.Index ? background.PromotedBytes : blocking.PromotedBytes;
    }

    /// <summary>Stops sampling and returns the peaks, and the CPU time, allocations and GC pauses since the start.</summary>
    public async Task<MemoryPeaks> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        using var self = Process.GetCurrentProcess();
        return new MemoryPeaks(_baseline, _peakWorkingSet, _peakTotalMemory, _peakHeapSize, _peakLive, self.TotalProcessorTime - _cpuAtStart,
            GC.GetTotalAllocatedBytes() - _allocatedAtStart, GC.GetTotalPauseDuration() - _pausedAtStart, GC.CollectionCount(2) - _gen2AtStart);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_loop.IsCompleted)
            await StopAsync();
        _stop.Dispose();
    }
}

/// <summary>Peak memory of one run, in bytes (<paramref name="PeakLive"/>: live data after a full collection), and the CPU time, managed allocations, GC pause time and gen-2 collections of the process during it.</summary>
internal sealed record MemoryPeaks(long BaselineWorkingSet, long PeakWorkingSet, long PeakTotalMemory, long PeakHeapSize, long PeakLive, TimeSpan Cpu,
    long Allocated, TimeSpan GcPaused, int Gen2Collections);
