using System.Collections.Concurrent;
using Pipeline.Core.Measurement;
using Prometheus;

namespace Pipeline.Core.UseCaseRuntime.Python;

/// <summary>
/// Adds the worker processes' CPU time and memory of every Python use case to <see cref="UseCaseResources"/> before each
/// scrape of /metrics (and each <see cref="Sample"/>), and carries the workers' stderr to the service's log.
/// </summary>
public static class PythonResources
{
    private static readonly ConcurrentDictionary<PythonUseCase, byte> Tracked = new();
    private static int _registered;

    /// <summary>Where the lines Python use cases write to stderr go (the service's log); dropped while null.</summary>
    public static Action<string>? Log { get; set; }

    internal static void Track(PythonUseCase useCase)
    {
        Tracked.TryAdd(useCase, 0);
        if (Interlocked.Exchange(ref _registered, 1) == 0)
            Metrics.DefaultRegistry.AddBeforeCollectCallback(Sample);
    }

    internal static void AddCpu(PythonUseCase useCase, TimeSpan cpu)
    {
        if (cpu > TimeSpan.Zero)
            UseCaseResources.Cpu.WithLabels(useCase.Name).Inc(cpu.TotalSeconds);
    }

    /// <summary>Brings the metrics of every Python use case up to date.</summary>
    public static void Sample()
    {
        foreach (var group in Tracked.Keys.GroupBy(u => u.Name))
        {
            long memory = 0;
            foreach (var useCase in group)
            {
                var (cpu, bytes) = useCase.SampleResources();
                AddCpu(useCase, cpu);
                memory += bytes;
            }
            UseCaseResources.Memory.WithLabels(group.Key).Set(memory);
        }
    }
}
