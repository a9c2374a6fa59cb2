using System.Globalization;

namespace Pipeline.Service.Bench.Memory;

/// <summary>The table of <c>pipeline bench memory</c>.</summary>
internal static class MemoryBenchReport
{
    public static void Write(TextWriter output, IReadOnlyList<MemoryRun> runs)
    {
        output.WriteLine();
        output.WriteLine(Invariant($"a node (`pipeline run` in a process of its own, the broker elsewhere) draining a backlog, median of {runs.Max(r => r.Run)} run(s):"));
        output.WriteLine("records/s and the node's CPU per 1,000 records count from its start, so they include start-up:");
        output.WriteLine($"{"backlog",10} {"peak working set MB",20} {"peak GC heap MB",16} {"records/s",10} {"CPU ms/1,000",13}  runs (peak working set MB)");
        foreach (var backlog in runs.Select(r => r.Backlog).Distinct())
        {
            var of = runs.Where(r => r.Backlog == backlog).ToList();
            output.WriteLine(Invariant($"{backlog,10:N0} {Medians.Of(of.Select(r => r.PeakWorkingSet / 1e6)),20:N0} {Medians.Of(of.Select(r => r.PeakGcHeap / 1e6)),16:N0} ") +
                             Invariant($"{Medians.Of(of.Select(r => r.PerSecond)),10:N0} {Medians.Of(of.Select(r => r.CpuMillisecondsPerThousand)),13:N0}  ") +
                             string.Join(" / ", of.Select(r => Invariant($"{r.PeakWorkingSet / 1e6:N0}") + (r.Problem is null ? "" : " (NOT VERIFIED)"))));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
