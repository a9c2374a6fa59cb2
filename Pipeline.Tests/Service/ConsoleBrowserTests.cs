using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

/// <summary>
/// The console at /ui in a real browser (Debian's chromium, headless, driven by playwright-core through
/// Pipeline.Tests/Console/console-check.mjs) against a running node: it lists the use cases, a B share set in the page is
/// what the admin API reads, a use case stops and starts from its buttons, and a screenshot is saved under the test's
/// output folder (console-screenshots/). scripts/install-test-deps.sh installs chromium and playwright-core.
/// </summary>
public sealed class ConsoleBrowserTests
{
    private static readonly string ConsoleFolder = Path.Combine(RepositoryRoot.Path, "Pipeline.Tests", "Console");

    [Fact]
    public async Task The_console_lists_use_cases_changes_a_B_share_stops_and_starts_a_use_case_and_shows_dead_letters()
    {
        const string chromium = "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"{chromium} is missing: run scripts/install-test-deps.sh (it installs Debian's chromium).");
        Assert.True(Directory.Exists(Path.Combine(ConsoleFolder, "node_modules", "playwright-core")),
            "playwright-core is missing under Pipeline.Tests/Console: run scripts/install-test-deps.sh (npm install from the npm registry).");

        using var run = PipelineProcess.Start("run", "--set", "pipeline.http.port=0", "--set", "pipeline.generator.rate=100",
            "--set", "pipeline.progress.refresh-interval=500ms", "--set", "pipeline.console.dead-letters-max-age=0s");
        var header = run.WaitForLine(line => line.StartsWith("pipeline run", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var url = Regex.Match(header, @"http (http://\S+)").Groups[1].Value;
        var kafka = Regex.Match(header, @"kafka (\S+)").Groups[1].Value;
        run.WaitForLine(line => line.StartsWith("stream=use-case-duplicate-charge", StringComparison.Ordinal) && !line.Contains(" processed=0 "), TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        // A raw record that is not JSON, with a header a producer should never have sent: the console shows its dead letter's
        // headers, the credential replaced.
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = kafka }).Build())
        {
            await producer.ProduceAsync("transactions.raw", new Message<byte[]?, byte[]?>
            {
                Key = "console-test"u8.ToArray(), Value = "not json"u8.ToArray(),
                Headers = new Headers { { "Authorization", "Bearer s3cr3t-value"u8.ToArray() } }
            });
        }
        var deadLetters = await Eventually(http, "/admin/dead-letters", body => body.GetProperty("latest").GetArrayLength() > 0);
        var letter = deadLetters.GetProperty("latest")[0];
        Assert.Equal("not-json", letter.GetProperty("reason").GetString());
        Assert.Contains(deadLetters.GetProperty("counts").EnumerateArray(), c => c.GetProperty("reason").GetString() == "not-json" && c.GetProperty("count").GetDouble() >= 1);
        var headers = letter.GetProperty("headers").EnumerateArray().ToDictionary(h => h.GetProperty("name").GetString()!, h => h.GetProperty("value").GetString());
        Assert.Equal("[redacted]", headers["Authorization"]);
        Assert.Equal("upstream", headers["error.stage"]);
        Assert.DoesNotContain("s3cr3t", deadLetters.GetRawText());

        var screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "console-screenshots")).FullName;
        var screenshot = Path.Combine(screenshots, "console.png");
        File.Delete(screenshot);
        var (exitCode, output) = RunNode("console-check.mjs", url, "duplicate-charge", "large-purchase", "30", screenshot);
        Assert.True(exitCode == 0, "the browser check failed:\n" + output);
        Assert.Contains("ok lists duplicate-charge,unusual-tip,recurring-charge-increase,large-purchase", output);
        Assert.Contains("ok stopped", output);
        Assert.Contains("ok started", output);

        var experiments = JsonDocument.Parse(await http.GetStringAsync("/admin/experiments")).RootElement;
        Assert.Equal(30, experiments.EnumerateArray().Single(x => x.GetProperty("key").GetString() == "large-purchase").GetProperty("bShare").GetDouble());
        var useCases = JsonDocument.Parse(await http.GetStringAsync("/admin/use-cases")).RootElement;
        Assert.Equal("Running", useCases.EnumerateArray().Single(u => u.GetProperty("key").GetString() == "duplicate-charge").GetProperty("state").GetString());
        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 10_000 && png.AsSpan(1, 3).SequenceEqual("PNG"u8), $"no PNG screenshot at {screenshot}");

        run.Signal("INT");
        Assert.True(run.WaitForExit(TimeSpan.FromSeconds(30)), "pipeline run did not stop after SIGINT:\n" + run.Output);
    }

    [Fact]
    public async Task The_console_page_and_the_live_figures_are_served_with_nothing_from_elsewhere()
    {
        using var run = PipelineProcess.Start("run", "--set", "pipeline.http.port=0", "--set", "pipeline.generator.rate=50",
            "--set", "pipeline.progress.refresh-interval=500ms", "--set", "pipeline.http.admin-token=console-test-token");
        var header = run.WaitForLine(line => line.StartsWith("pipeline run", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var url = Regex.Match(header, @"http (http://\S+)").Groups[1].Value;
        run.WaitForLine(l => l.StartsWith("stream=upstream", StringComparison.Ordinal) && !l.Contains(" processed=0 "), TimeSpan.FromSeconds(60));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };

        // The page holds no data: served without the token, with a policy that loads nothing from another origin.
        using (var redirect = await http.GetAsync("/ui"))
            Assert.Equal("/ui/", redirect.Headers.Location?.OriginalString);
        using var page = await http.GetAsync("/ui/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        foreach (var asset in new[] { "index.html", "console.js", "console.css" })
            Assert.DoesNotMatch(@"(src|href)=""https?:|url\(https?:|import\s.*https?:", await http.GetStringAsync("/ui/" + asset));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ui/missing.js")).StatusCode);

        // Its data comes from /admin, which wants the token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/admin/figures")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "console-test-token");
        var figures = JsonDocument.Parse(await http.GetStringAsync("/admin/figures")).RootElement;
        var upstream = figures.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("stream").GetString() == "upstream");
        Assert.True(upstream.GetProperty("processed").GetInt64() > 0, figures.GetRawText());
        Assert.True(upstream.TryGetProperty("latencyP99Ms", out _));
        var cluster = JsonDocument.Parse(await http.GetStringAsync("/admin/cluster")).RootElement;
        Assert.Equal("Up", cluster.GetProperty("members")[0].GetProperty("status").GetString());
        Assert.Contains("use-case:duplicate-charge", cluster.GetProperty("members")[0].GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(4, cluster.GetProperty("shards").GetArrayLength());
        var history = JsonDocument.Parse(await http.GetStringAsync("/admin/experiments/history")).RootElement;
        Assert.True(history.GetProperty("large-purchase").GetArrayLength() >= 1);
        Assert.DoesNotContain("console-test-token", figures.GetRawText() + cluster.GetRawText() + history.GetRawText());

        run.Signal("INT");
        Assert.True(run.WaitForExit(TimeSpan.FromSeconds(30)), "pipeline run did not stop after SIGINT:\n" + run.Output);
    }

    private static async Task<JsonElement> Eventually(HttpClient http, string path, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var body = JsonDocument.Parse(await http.GetStringAsync(path)).RootElement;
            if (done(body) || DateTime.UtcNow > deadline)
                return body;
            await Task.Delay(300);
        }
    }

    private static (int ExitCode, string Output) RunNode(params string[] args)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = ConsoleFolder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "the browser check did not end within 3 minutes:\n" + output);
        }
        process.WaitForExit();
        lock (output)
            return (process.ExitCode, output.ToString());
    }
}
