using System.Text.RegularExpressions;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

/// <summary>
/// Runs `pipeline bench memory` with a tiny backlog as the real executable, its node a `pipeline run` process of its own.
/// Checks that the node's peak working set and GC heap were read (a node holds tens of MB at least) and that the report
/// was written to the file given; how much memory this machine's runtime takes is not asserted beyond that.
/// </summary>
public sealed partial class BenchMemoryCommandTests
{
    [Fact]
    public void Tiny_run_reports_the_node_processs_peak_working_set_and_gc_heap_and_writes_the_report()
    {
        var report = Path.Combine(Directory.CreateTempSubdirectory("pipeline-bench-report-").FullName, "report.md");
        using var bench = PipelineProcess.Start("bench", "memory", "--backlogs", "3000", "--runs", "1", "--report", report);
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

    [Fact]
    public void The_node_env_reaches_the_node_process_only()
    {
        // A 1 MiB managed heap limit stops a .NET process from starting: the node fails with the runtime's own error,
        // while this bench process (without the limit) reports it.
        using var bench = PipelineProcess.Start("bench", "memory", "--backlogs", "100", "--runs", "1", "--report", "",
            "--node-env", "DOTNET_GCHeapHardLimit=0x100000");
        Assert.True(bench.WaitForExit(TimeSpan.FromMinutes(2)), "bench memory did not finish:\n" + bench.Output);
        Assert.NotEqual(0, bench.ExitCode);
        Assert.Contains("100 raw records waiting; starting the node", bench.Output);
        Assert.Contains("GC heap initialization failed", bench.Output);
    }

    [Theory]
    [InlineData("=1", null, "--node-env takes NAME=VALUE, e.g. DOTNET_gcServer=0; got '=1'")]
    [InlineData("DOTNET_gcServer=0", "DOTNET_gcServer=1", "--node-env gives DOTNET_gcServer more than once; give each variable once.")]
    public void A_node_env_without_a_name_or_given_twice_is_refused(string first, string? second, string message)
    {
        string[] environment = second is null ? ["--node-env", first] : ["--node-env", first, "--node-env", second];
        var (exitCode, output) = PipelineProcess.RunToExit(["bench", "memory", .. environment]);
        Assert.Equal(2, exitCode);
        Assert.Contains(message, output);
    }

    [GeneratedRegex(@"^\s+3,000\s+(?<workingSet>[\d,]+)\s+(?<heap>[\d,]+)\s+[\d,]+\s+[\d,]+  [\d,]+$", RegexOptions.Multiline)]
    private static partial Regex Row();
}
