using Akka.Configuration;
using Pipeline.Core.Configuration;

namespace Pipeline.Tests.Helm;

/// <summary>
/// The HOCON the chart puts in its ConfigMap: it parses, agrees with the pod spec (ports, labels, drain
/// deadline), layers with the pod's environment the way the service loads it, and the service accepts it.
/// </summary>
public sealed class ChartServiceConfigTests(ChartRenderings renderings) : IClassFixture<ChartRenderings>, IDisposable
{
    private readonly List<string> _files = [];

    public static TheoryData<string> Renderings => [ChartRenderings.Default, ChartRenderings.Production];

    [Theory, MemberData(nameof(Renderings))]
    public void The_config_file_parses_and_matches_the_pod_spec(string rendering)
    {
        var chart = renderings[rendering];

        var config = ConfigurationFactory.ParseString(chart.ServiceConfigText);

        Assert.Equal("0.0.0.0", config.GetString("pipeline.http.bind"));
        Assert.Equal(chart.ContainerPort("http"), config.GetInt("pipeline.http.port"));
        Assert.Equal(chart.ContainerPort("remoting"), config.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal("discovery", config.GetString("pipeline.cluster.join"));
        Assert.Equal("remoting", config.GetString("pipeline.cluster.discovery.port-name"));
        Assert.Equal("kubernetes-api", config.GetString("akka.discovery.method"));
        Assert.Equal(int.Parse(chart.Workload.Map("spec").Str("replicas")), config.GetInt("pipeline.cluster.discovery.required-contact-points"));
        Assert.Equal("keep-majority", config.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal("postgresql", config.GetString("pipeline.store.provider"));
        Assert.Equal("cluster", config.GetString("akka.actor.provider"));

        // Discovery must find exactly the pods of this release: its selector is the pod template's labels.
        var selector = config.GetString("akka.discovery.kubernetes-api.pod-label-selector")
            .Split(',').Select(pair => pair.Split('=')).ToDictionary(kv => kv[0], kv => kv[1]);
        Assert.Equal(chart.Workload.Map("spec").Map("selector").Map("matchLabels").Scalars(), selector);
        foreach (var (key, value) in selector)
            Assert.Equal(value, chart.PodLabels[key]);
    }

    [Theory, MemberData(nameof(Renderings))]
    public void The_grace_period_is_longer_than_the_drain_deadline_and_the_pre_stop_pause(string rendering)
    {
        var chart = renderings[rendering];
        var drain = ConfigurationFactory.ParseString(chart.ServiceConfigText).GetTimeSpan("pipeline.shutdown-timeout");
        var preStop = chart.ServiceContainer.MapOrNull("lifecycle")?.Map("preStop").Map("exec").Seq("command").AllScalars().Last();

        var grace = TimeSpan.FromSeconds(int.Parse(chart.PodSpec.Str("terminationGracePeriodSeconds")));

        Assert.Equal(TimeSpan.FromSeconds(30), drain);
        Assert.True(grace > drain + TimeSpan.FromSeconds(int.Parse(preStop ?? "0")),
            $"terminationGracePeriodSeconds {grace.TotalSeconds}s must exceed the drain deadline {drain.TotalSeconds}s plus the preStop pause {preStop}s.");
    }

    [Fact]
    public void Values_reach_the_config_file_and_overrides_win()
    {
        var config = ConfigurationFactory.ParseString(renderings[ChartRenderings.Production].ServiceConfigText);

        Assert.Equal(["duplicate-charge", "unusual-tip", "recurring-charge-increase"], config.GetStringList("pipeline.use-cases.enabled"));
        Assert.Equal(500, config.GetInt("akka.kafka.consumer.partition-buffer-size"));
        Assert.Equal(TimeSpan.FromMilliseconds(50), config.GetTimeSpan("pipeline.store.write.max-delay"));
        foreach (var client in new[] { "consumer", "producer" })
        {
            Assert.Equal("SASL_SSL", config.GetString($"akka.kafka.{client}.kafka-clients.security.protocol"));
            Assert.Equal("SCRAM-SHA-512", config.GetString($"akka.kafka.{client}.kafka-clients.sasl.mechanism"));
        }
        Assert.False(ConfigurationFactory.ParseString(renderings[ChartRenderings.Default].ServiceConfigText).HasPath("pipeline.use-cases.enabled"));
    }

    [Fact]
    public void The_pod_environment_layers_over_the_config_file_as_the_service_loads_it()
    {
        var chart = renderings[ChartRenderings.Production];
        var file = WriteConfigFile(chart);

        var loaded = PipelineConfig.Load(file, [], PodEnvironment.Of(chart).ToDictionary());

        Assert.Equal("kafka-0.kafka.data:9093,kafka-1.kafka.data:9093,kafka-2.kafka.data:9093",
            loaded.Root.GetString("pipeline.kafka.bootstrap-servers"));
        Assert.Equal(PodEnvironment.FakePodIp, loaded.Root.GetString("akka.remote.dot-netty.tcp.public-hostname"));
        // Static membership: the StatefulSet pod name, stable across restarts, is the consumers' group.instance.id.
        Assert.Equal($"{RenderedChart.ReleaseName}-akka-pipeline-0", loaded.Root.GetString("pipeline.kafka.group-instance-id"));
        Assert.Equal("environment variable PIPELINE__pipeline__store__postgresql__connection-string",
            loaded.OriginOf("pipeline.store.postgresql.connection-string"));
        Assert.Equal(file, loaded.OriginOf("pipeline.http.port"));
    }

    // Needs `pipeline run --check-config` (Pipeline.Service): the real service validates every setting it reads.
    [Theory, MemberData(nameof(Renderings))]
    public void The_service_accepts_the_config_file_with_the_pod_environment(string rendering)
    {
        var chart = renderings[rendering];
        var file = WriteConfigFile(chart);

        var result = PipelineCli.Run(PodEnvironment.Of(chart), "run", "--config", file, "--check-config");

        Assert.True(result.ExitCode == 0, result.Describe());
    }

    private string WriteConfigFile(RenderedChart chart)
    {
        var file = Path.Combine(Path.GetTempPath(), $"pipeline-chart-{Guid.NewGuid():N}.conf");
        File.WriteAllText(file, chart.ServiceConfigText);
        _files.Add(file);
        return file;
    }

    public void Dispose()
    {
        foreach (var file in _files)
            File.Delete(file);
    }
}
