using System.Globalization;

namespace Pipeline.Service.Bench.Scaling;

/// <summary>The table of <c>pipeline bench scaling</c>.</summary>
internal static class ScalingBenchReport
{
    public static void Write(TextWriter output, IReadOnlyList<ScalingRun> runs)
    {
        var runCount = runs.Max(r => r.Run);
        output.WriteLine();
        output.WriteLine(Invariant($"throughput as the work grows: {runs[0].Records:N0} raw records written into running node(s), median of {runCount} run(s);"));
        output.WriteLine("records/s from the first record written to the last stage's last commit; CPU of every process (broker, feeder, nodes):");
        output.WriteLine($"{"configuration",-22} {"records/s",10} {"vs first",9} {"CPU ms/1,000",13} {"vs first",9} {"feedback",9}  runs (records/s)");
        double? firstRate = null, firstCpu = null;
        foreach (var configuration in ScalingBenchOptions.Configurations)
        {
            var of = runs.Where(r => r.Configuration == configuration).ToList();
            var rate = Medians.Of(of.Select(r => r.PerSecond));
            var cpu = Medians.Of(of.Select(r => r.CpuMillisecondsPerThousand));
            (firstRate, firstCpu) = (firstRate ?? rate, firstCpu ?? cpu);
            output.WriteLine(Invariant($"{configuration,-22} {rate,10:N0} {rate / firstRate,9:F2} {cpu,13:N0} {cpu / firstCpu,9:F2} {Medians.Of(of.Select(r => (double)r.Feedback)),9:N0}  ") +
                             string.Join(" / ", of.Select(r => Invariant($"{r.PerSecond:N0}") + (r.Problem is null ? "" : " (NOT VERIFIED)"))));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
