using System.Diagnostics;
using System.Text.RegularExpressions;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_on_embedded_defaults_processes_records_serves_health_and_exits_0_on_SIGINT()
    {
        using var run = PipelineProcess.Start("run", "--set", "pipeline.http.port=0", "--set", "pipeline.progress.refresh-interval=500ms");
        var header = run.WaitForLine(line => line.StartsWith("pipeline run", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var url = Regex.Match(header, @"http (http://\S+)").Groups[1].Value;

        // A few seconds of records flowing through upstream, and notifications coming out of the far end.
        run.WaitForLine(line => line.StartsWith("stream=upstream", StringComparison.Ordinal) && Processed(line) >= 400, TimeSpan.FromSeconds(60));
        run.WaitForLine(line => line.StartsWith("stream=notifications", StringComparison.Ordinal) && Processed(line) >= 1, TimeSpan.FromSeconds(60));

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        Assert.Equal("live", await http.GetStringAsync("/health/live"));
        Assert.Equal("ready", await http.GetStringAsync("/health/ready"));
        var metrics = await http.GetStringAsync("/metrics");
        var before = Series(metrics, "pipeline_records_out_total{stream=\"upstream\"}");
        await Task.Delay(1500);
        Assert.True(Series(await http.GetStringAsync("/metrics"), "pipeline_records_out_total{stream=\"upstream\"}") > before, "the upstream counter did not move");
        Assert.Contains("pipeline_records_out_total{stream=\"upstream\"}", metrics);
        Assert.Contains("pipeline_latency_seconds_bucket", metrics);
        Assert.Contains("pipeline_use_case_evaluate_seconds_bucket{use_case=\"DuplicateCharge\",variant=\"A\"", metrics);
        var useCases = await http.GetStringAsync("/admin/use-cases");
        foreach (var key in new[] { "duplicate-charge", "unusual-tip", "recurring-charge-increase", "large-purchase" })
            Assert.Contains($"\"key\":\"{key}\"", useCases);
        Assert.Contains("\"state\":\"Running\"", useCases);
        // Findings per use case and variant, and the latest messages: a notification came out, so some use case found something.
        using (var json = System.Text.Json.JsonDocument.Parse(useCases))
        {
            var all = json.RootElement.EnumerateArray().ToList();
            Assert.True(all.Sum(u => u.GetProperty("findings").EnumerateObject().Sum(f => f.Value.GetInt64())) >= 1, useCases);
            var latest = all.SelectMany(u => u.GetProperty("latestFindings").EnumerateArray()).ToList();
            Assert.NotEmpty(latest);
            Assert.All(latest, f => Assert.False(string.IsNullOrEmpty(f.GetProperty("message").GetString())));
        }
        run.WaitForLine(line => line.StartsWith("stream=use-case-", StringComparison.Ordinal) && line.Contains(" findings=A:", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        using (var status = PipelineProcess.Start("status", "--url", url))
        {
            Assert.True(status.WaitForExit(TimeSpan.FromSeconds(30)), status.Output);
            Assert.Equal(0, status.ExitCode);
            Assert.Contains("recurring-charge-increase", status.Output);
            Assert.Contains("large-purchase", status.Output);
            Assert.Contains("Running", status.Output);
            Assert.Contains("latest findings", status.Output);
            Assert.Matches(@"│ A [\d,]+", status.Output);
        }

        var stopping = Stopwatch.StartNew();
        run.Signal("INT");
        Assert.True(run.WaitForExit(TimeSpan.FromSeconds(10)), "pipeline run did not stop after SIGINT:\n" + run.Output);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(7), $"graceful stop took {stopping.Elapsed}");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("run: stopped;", run.Output);
    }

    [Fact]
    public void Check_config_rejects_a_bad_value_naming_the_key_and_its_origin()
    {
        var (exitCode, output) = PipelineProcess.RunToExit("run", "--check-config", "--set", "pipeline.generator.rate=fast");
        Assert.Equal(1, exitCode);
        Assert.Contains("'pipeline.generator.rate' = 'fast' (from --set pipeline.generator.rate) is not an integer", output);
    }

    [Fact]
    public void Check_config_accepts_the_defaults()
    {
        var (exitCode, output) = PipelineProcess.RunToExit("run", "--check-config");
        Assert.Equal(0, exitCode);
        Assert.Contains("configuration valid", output);
    }

    private static long Processed(string line)
    {
        var match = Regex.Match(line, @"\bprocessed=(\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    [Fact]
    public void Status_names_the_address_it_cannot_reach_and_the_fix()
    {
        var (exitCode, output) = PipelineProcess.RunToExit("status", "--url", "http://127.0.0.1:1");
        Assert.Equal(1, exitCode);
        Assert.Contains("cannot read the admin API at http://127.0.0.1:1", output);
        Assert.Contains("--url", output);
    }

    private static double Series(string exposition, string series)
    {
        var line = exposition.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
