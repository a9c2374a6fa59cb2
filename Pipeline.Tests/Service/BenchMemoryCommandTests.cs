using System.Text.RegularExpressions;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

/// <summary>
/// Runs `pipeline bench memory` with a tiny backlog as the real executable, its node a `pipeline run` process of its own.
/// Checks that the node's peak working set and GC heap were read (a node holds tens of MB at least) and that the report
/// was appended; how much memory this machine's runtime takes is not asserted beyond that.
/// </summary>
public sealed partial class BenchMemoryCommandTests
{
    [Fact]
    public void Tiny_run_reports_the_node_processs_peak_working_set_and_gc_heap_and_appends_the_report()
    {
        var report = Path.Combine(Directory.CreateTempSubdirectory("pipeline-bench-report-").FullName, "benchmarks.md");
        using var bench = PipelineProcess.Start("bench", "memory", "--backlogs", "3000", "--runs", "1", "--append-to", report);
        Assert.True(bench.WaitForExit(TimeSpan.FromMinutes(4)), "bench memory did not finish:\n" + bench.Output);
        var output = bench.Output;
        Assert.True(bench.ExitCode == 0, $"exit code {bench.ExitCode}:\n{output}");

        var row = Row().Match(output);
        Assert.True(row.Success, $"no well-formed row for the 3,000 backlog:\n{output}");
        Assert.InRange(int.Parse(row.Groups["workingSet"].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture), 20, 20_000);
        Assert.InRange(int.Parse(row.Groups["heap"].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture), 1, 20_000);
        Assert.Contains("all counts verified", output);
        Assert.Contains("`pipeline bench memory --backlogs 3000 --runs 1`", File.ReadAllText(report));
    }

    [GeneratedRegex(@"^\s+3,000\s+(?<workingSet>[\d,]+)\s+(?<heap>[\d,]+)\s+[\d,]+\s+[\d,]+  [\d,]+$", RegexOptions.Multiline)]
    private static partial Regex Row();
}
