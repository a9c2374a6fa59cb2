using System.Text.RegularExpressions;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

/// <summary>
/// Runs `pipeline bench kafka` with tiny numbers as the real executable. Checks the report's shape and that
/// every count was verified against the broker and that the report was written to the file given; throughput and
/// latency figures depend on the machine and are not asserted.
/// </summary>
public sealed class BenchKafkaCommandTests
{
    [Fact]
    public void Tiny_run_reports_every_variant_with_verified_counts_and_writes_the_report()
    {
        var report = Path.Combine(Directory.CreateTempSubdirectory("pipeline-bench-report-").FullName, "report.md");
        using var bench = PipelineProcess.Start("bench", "kafka", "--messages", "20000", "--runs", "1", "--latency-seconds", "2", "--skip-streamiz",
            "--report", report);
        Assert.True(bench.WaitForExit(TimeSpan.FromSeconds(120)), "bench kafka did not finish:\n" + bench.Output);
        var output = bench.Output;
        Assert.True(bench.ExitCode == 0, $"exit code {bench.ExitCode}:\n{output}");

        Assert.Contains("20,000 records on bench-in", output);
        Assert.Matches(new Regex(@"^a Confluent\.Kafka loop\s+[\d,]+\s+1/1", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^b Akka\.Streams connector\s+[\d,]+\s+1/1", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^c Streamiz\.Kafka\.Net 1\.8\.2\s+skipped", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^b/a = \d+\.\d\d", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^a\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+\d+\s+verified", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^b\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+\d+\s+verified", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^p99\(b\) - p99\(a\) = -?\d+\.\d ms", RegexOptions.Multiline), output);
        Assert.Contains("all counts verified", output);
        Assert.DoesNotContain("NOT VERIFIED", output);

        var written = File.ReadAllText(report);
        Assert.Contains("## `bench kafka` run of ", written);
        Assert.Contains("`pipeline bench kafka --messages 20000 --runs 1 --latency-seconds 2 --skip-streamiz`", written);
        Assert.Matches(new Regex(@"^b/a = \d+\.\d\d", RegexOptions.Multiline), written);
        Assert.Matches(new Regex(@"^p99\(b\) - p99\(a\) = -?\d+\.\d ms", RegexOptions.Multiline), written);
        Assert.Contains($"Machine: {Environment.ProcessorCount} cores", written);
    }

    [Fact]
    public void Impossible_options_are_refused_naming_the_option()
    {
        var (exitCode, output) = PipelineProcess.RunToExit("bench", "kafka", "--runs", "0");
        Assert.Equal(2, exitCode);
        Assert.Contains("--runs must be at least 1", output);
    }
}
