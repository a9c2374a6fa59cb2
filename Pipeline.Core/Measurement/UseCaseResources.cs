using System.Runtime.InteropServices;
using Prometheus;

namespace Pipeline.Core.Measurement;

/// <summary>
/// CPU and memory per use case on /metrics. CPU: the thread CPU time of every Evaluate (for a Python use case that is the
/// call's own share; its worker processes' CPU time is added on each scrape). Memory: the resident memory of a Python use
/// case's workers; C# use cases share the service's heap, which cannot be split by use case.
/// </summary>
public static partial class UseCaseResources
{
    public static readonly Counter Cpu = Metrics.CreateCounter("pipeline_use_case_cpu_seconds_total",
        "CPU time spent evaluating a use case: its Evaluate calls, and for a Python use case its worker processes.", "use_case");

    public static readonly Gauge Memory = Metrics.CreateGauge("pipeline_use_case_memory_bytes",
        "Resident memory of a Python use case's worker processes.", "use_case");

    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    /// <summary>The calling thread's CPU time in seconds (Linux); zero elsewhere.</summary>
    public static double ThreadCpuSeconds()
    {
        if (!OperatingSystem.IsLinux())
            return 0;
        ClockGetTime(ThreadCpuClock, out var time);
        return time.Seconds + time.Nanoseconds / 1e9;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
