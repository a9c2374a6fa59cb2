using System.Diagnostics;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

public sealed class InfraCommandTests
{
    [Fact]
    public async Task Infra_prints_a_bootstrap_list_that_kcat_in_another_process_accepts_and_stops_on_SIGTERM()
    {
        using var infra = PipelineProcess.Start("infra");
        var line = infra.WaitForLine(l => l.StartsWith("bootstrap.servers=", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var bootstrap = line["bootstrap.servers=".Length..];
        infra.WaitForLine(l => l.StartsWith("schema.registry.url=http://127.0.0.1:", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        var kcat = new[] { "/usr/bin/kcat", "/usr/bin/kafkacat" }.FirstOrDefault(File.Exists);
        Assert.True(kcat is not null, "kcat is required for this test; ./test.sh installs it (apt-get install kcat).");
        using var list = Process.Start(new ProcessStartInfo(kcat!, ["-L", "-b", bootstrap]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await list.StandardOutput.ReadToEndAsync();
        await list.WaitForExitAsync();
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("1 brokers", output); // pipeline.embedded-kafka.brokers
        Assert.Contains("topic \"transactions.raw\" with 8 partitions", output);

        infra.Signal("TERM");
        Assert.True(infra.WaitForExit(TimeSpan.FromSeconds(15)), "infra did not stop on SIGTERM:\n" + infra.Output);
        Assert.Equal(0, infra.ExitCode);
    }
}
