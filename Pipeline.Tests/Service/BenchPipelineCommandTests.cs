using System.Text.RegularExpressions;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

/// <summary>
/// Runs `pipeline bench pipeline` with tiny numbers as the real executable: the whole diamond, the plain-loop ceiling and
/// one latency rate. Checks the report's shape, that every count was verified and that the numbers are sane (positive,
/// percentiles in order); how fast this machine is, is not asserted.
/// </summary>
public sealed class BenchPipelineCommandTests
{
    private const string Number = @"[\d,]+";
    private const string Decimal = @"\d+\.\d";

    [Fact]
    public void Tiny_run_reports_throughput_memory_and_latency_and_writes_the_report()
    {
        var report = Path.Combine(Directory.CreateTempSubdirectory("pipeline-bench-report-").FullName, "report.md");
        using var bench = PipelineProcess.Start("bench", "pipeline", "--records", "3000", "--runs", "1", "--rates", "200", "--seconds", "3", "--report", report,
            "--allocation-types", "3");
        Assert.True(bench.WaitForExit(TimeSpan.FromMinutes(4)), "bench pipeline did not finish:\n" + bench.Output);
        var output = bench.Output;
        Assert.True(bench.ExitCode == 0, $"exit code {bench.ExitCode}:\n{output}");

        Assert.Contains("3,000 raw records written", output);
        Assert.Contains("low watermark 0 on all 8 partitions", output);
        var diamond = Rate(output, @"diamond: upstream \+ 4 use cases \+ downstream");
        var plain = Rate(output, @"plain loop: the same Apply, Dictionary state \(ceiling\)");
        Assert.True(diamond > 0 && plain > 0, output);
        Assert.Matches(new Regex(@"^diamond / plain loop = \d+\.\d\d$", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^target >= 25,000 input records/s: (met|MISSED)$", RegexOptions.Multiline), output);
        Assert.Matches(new Regex($@"^median run: 3,000 raw -> 3,000 transactions \(0 dead letters\) -> {Number} feedback -> {Number} notifications", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"\d+\.\d\d s of wall time inside Evaluate over 15,000 calls"), output); // 3,000 transactions x 5 variants
        Assert.Matches(new Regex(@"^run 1: working set \d+ MB before the node started -> peak \d+ MB \(\+-?\d+ MB\); GC heap peak \d+ MB.*, live after a full GC peak \d+ MB; working set after the node stopped \d+ MB$", RegexOptions.Multiline), output);

        Assert.Matches(new Regex(@"^  run 1: most allocated types .* at \d+\.\d KiB allocated per record\):$", RegexOptions.Multiline), output);
        Assert.Equal(3, Regex.Matches(output, @"^\s+\d+\.\d %\s+[\d,]+ B/record  \S+", RegexOptions.Multiline).Count);

        Assert.Contains("latency at 200 records/s for 3 s after 5 s warm-up", output);
        foreach (var path in new[] { "raw -> transaction acked (upstream)", "transaction -> feedback (use cases)", "feedback -> notification (downstream)", "end to end: raw -> notification acked",
                     "floor: raw produced -> seen by a plain consumer" })
        {
            var row = Regex.Match(output, $@"^{Regex.Escape(path)}\s+({Decimal})\s+({Decimal})\s+({Decimal})\s+({Decimal})\s+(\d+)$", RegexOptions.Multiline);
            Assert.True(row.Success, $"no row '{path}':\n{output}");
            var percentiles = Enumerable.Range(1, 4).Select(i => double.Parse(row.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(percentiles.Order(), percentiles); // p50 <= p99 <= p99.9 <= max
        }
        // Upstream and the floor's plain consumer see every record after the warm-up: at 200/s for 3 s, about 600.
        foreach (var path in new[] { @"raw -> transaction acked \(upstream\)", @"floor: raw produced -> seen by a plain consumer" })
        {
            var seen = Regex.Match(output, $@"^{path}(\s+[\d.]+){{4}}\s+(\d+)$", RegexOptions.Multiline);
            Assert.InRange(int.Parse(seen.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), 500, 700);
        }
        var pauses = Regex.Match(output, @"^GC pauses after the warm-up \(every thread of the process stopped\): ([\d,]+), p50 \d+\.\d ms, p99 \d+\.\d ms, max \d+\.\d ms, \d+\.\d\d s in all$", RegexOptions.Multiline);
        Assert.True(pauses.Success, output);
        // The same pauses by kind of collection add up to all of them (a quiet run may have none, and then no such line).
        var byKind = Regex.Matches(output, @"(gen[012]|gen2 background|no start event) ([\d,]+) \(p50 \d+\.\d ms, max \d+\.\d ms\)")
            .Sum(m => int.Parse(m.Groups[2].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(int.Parse(pauses.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture), byKind);
        Assert.Matches(new Regex(@"^above the floor at p99 \(target <= 3 ms a hop\): upstream -?\d+\.\d ms, use cases -?\d+\.\d ms, downstream -?\d+\.\d ms; end to end p99 \d+ ms", RegexOptions.Multiline), output);

        Assert.Contains("all counts verified", output);
        Assert.DoesNotContain("NOT VERIFIED", output);
        var written = File.ReadAllText(report);
        Assert.Contains("`pipeline bench pipeline --records 3000 --runs 1 --rates 200 --seconds 3 --allocation-types 3`", written);
        Assert.Contains("floor: raw produced -> seen by a plain consumer", written);
        Assert.Contains($"Machine: {Environment.ProcessorCount} cores", written);
        Assert.Contains("diamond / plain loop = ", written);
    }

    [Theory]
    [InlineData("--rates", "0", "--rates must all be at least 1")]
    [InlineData("--allocation-types", "-1", "--allocation-types must be 0 (sample none) or more")]
    public void Impossible_options_are_refused_naming_the_option(string option, string value, string message)
    {
        var (exitCode, output) = PipelineProcess.RunToExit("bench", "pipeline", option, value);
        Assert.Equal(2, exitCode);
        Assert.Contains(message, output);
    }

    private static double Rate(string output, string row)
    {
        var match = Regex.Match(output, $@"^{row}\s+({Number})\s+1/1", RegexOptions.Multiline);
        Assert.True(match.Success, $"no verified row '{row}':\n{output}");
        return double.Parse(match.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
    }
}
