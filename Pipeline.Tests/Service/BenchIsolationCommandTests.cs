using System.Text.RegularExpressions;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

/// <summary>
/// Runs `pipeline bench isolation` with tiny numbers as the real executable. Checks the report's shape and that the failing
/// use case's dead letters were verified; how fast this machine is, and so the ratio itself, is not asserted.
/// </summary>
public sealed partial class BenchIsolationCommandTests
{
    [Fact]
    public void Tiny_run_reports_each_use_case_alone_and_mixed_verifies_the_dead_letters_and_writes_the_report_to_a_file_of_its_own()
    {
        using var bench = PipelineProcess.Start("bench", "isolation", "--records", "2000", "--runs", "1");
        Assert.True(bench.WaitForExit(TimeSpan.FromMinutes(4)), "bench isolation did not finish:\n" + bench.Output);
        var output = bench.Output;
        Assert.True(bench.ExitCode == 0, $"exit code {bench.ExitCode}:\n{output}");

        Assert.Contains("2,000 raw records -> 2,000 transactions", output);
        foreach (var useCase in new[] { "duplicate-charge", "unusual-tip", "recurring-charge-increase", "large-purchase" })
            Assert.True(Regex.IsMatch(output, $@"^{useCase}\s+[\d,]+\s+[\d,]+\s+\d+\.\d\d\s+[\d,]+\s+\d+\.\d\d  [\d,]+ -> [\d,]+ -> [\d,]+$", RegexOptions.Multiline),
                $"no well-formed row for {useCase}:\n{output}");
        Assert.Matches(new Regex(@"^slow \(in mixed\)\s+[\d,]+  [\d,]+ records in \d+ s$", RegexOptions.Multiline), output);
        var failing = FailingRow().Match(output);
        Assert.True(failing.Success, output);
        Assert.Equal(failing.Groups["written"].Value, failing.Groups["expected"].Value);
        Assert.Matches(new Regex(@"^others within 10 % of their solo throughput next to the slow use case: (yes|NO) \(lowest \d+\.\d\d\); next to the slow and the failing one: (yes|NO) \(lowest \d+\.\d\d\)$", RegexOptions.Multiline), output);
        Assert.Contains("all counts verified", output);

        // Without --report the report goes to a file of its own under bench-results/ in the working directory, and says where.
        var report = ReportWritten().Match(output);
        Assert.True(report.Success, $"no 'report written to' line:\n{output}");
        Assert.Equal("bench-results", Path.GetFileName(Path.GetDirectoryName(report.Groups["path"].Value)));
        var written = File.ReadAllText(report.Groups["path"].Value);
        Assert.Contains("## `bench isolation` run of ", written);
        Assert.Contains("`pipeline bench isolation --records 2000 --runs 1`", written);
    }

    [GeneratedRegex(@"^report written to (?<path>.*[/\\]isolation-\d{8}T\d{6}Z\.md)$", RegexOptions.Multiline)]
    private static partial Regex ReportWritten();

    [GeneratedRegex(@"^failing \(in mixed\)\s+[\d,]+  (?<written>[\d,]+) dead letters \((?<expected>[\d,]+) expected\)$", RegexOptions.Multiline)]
    private static partial Regex FailingRow();
}
