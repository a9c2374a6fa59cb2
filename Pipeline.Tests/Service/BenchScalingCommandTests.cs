using System.Text.RegularExpressions;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

/// <summary>
/// Runs `pipeline bench scaling` with tiny numbers as the real executable, its second node a `pipeline run` process of its own.
/// Checks the report's shape and that two nodes delivered the notifications one node did; the rates themselves are this
/// machine's and not asserted.
/// </summary>
public sealed class BenchScalingCommandTests
{
    [Fact]
    public void Tiny_run_reports_every_configuration_and_two_nodes_deliver_what_one_did()
    {
        var report = Path.Combine(Directory.CreateTempSubdirectory("pipeline-bench-report-").FullName, "report.md");
        using var bench = PipelineProcess.Start("bench", "scaling", "--records", "2000", "--runs", "1", "--report", report);
        Assert.True(bench.WaitForExit(TimeSpan.FromMinutes(5)), "bench scaling did not finish:\n" + bench.Output);
        var output = bench.Output;
        Assert.True(bench.ExitCode == 0, $"exit code {bench.ExitCode}:\n{output}");

        foreach (var configuration in new[] { "1 use case, 1 node", "2 use cases, 1 node", "4 use cases, 1 node", "4 use cases, 2 nodes" })
            Assert.True(Regex.IsMatch(output, $@"^{configuration}\s+[\d,]+\s+\d+\.\d\d\s+[\d,]+\s+\d+\.\d\d\s+[\d,]+  [\d,]+$", RegexOptions.Multiline),
                $"no well-formed row for {configuration}:\n{output}");
        Assert.Matches(new Regex(@"^configuration\s+records/s\s+vs first", RegexOptions.Multiline), output);
        Assert.Contains("all counts verified", output);

        var written = File.ReadAllText(report);
        Assert.Contains("## `bench scaling` run of ", written);
        Assert.Contains("`pipeline bench scaling --records 2000 --runs 1`", written);
    }
}
