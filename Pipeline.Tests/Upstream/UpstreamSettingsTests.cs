using Pipeline.Core.Configuration;
using Pipeline.Core.Upstream;

namespace Pipeline.Tests.Upstream;

/// <summary>The upstream stream's settings come from HOCON, strictly, with the upstream group and start position.</summary>
public sealed class UpstreamSettingsTests
{
    private static PipelineConfig With(params string[] overrides) => PipelineConfig.Load(null, overrides, new Dictionary<string, string>());

    [Fact]
    public void The_shipped_defaults_give_the_upstream_group_reading_from_the_earliest_offset()
    {
        var settings = UpstreamSettings.Create(PipelineConfig.Defaults());

        Assert.Equal("pipeline-upstream", settings.Consumer.GroupId);
        Assert.Equal("earliest", settings.Consumer.Properties["auto.offset.reset"]);
        Assert.Equal("transactions.raw", settings.Topics.Raw);
        Assert.Equal("transactions", settings.Topics.Transactions);
        Assert.Equal("dead-letters", settings.Topics.DeadLetters);
        Assert.Equal("murmur2_random", settings.Producer.Properties["partitioner"]);
    }

    [Fact]
    public void Overrides_are_read_and_bootstrap_servers_reach_both_clients()
    {
        var settings = UpstreamSettings.Create(With("pipeline.upstream.group-id=other", "pipeline.upstream.auto-offset-reset=latest", "pipeline.upstream.max-json-depth=32"))
            .WithBootstrapServers("k1:9092");

        Assert.Equal("other", settings.Consumer.GroupId);
        Assert.Equal("latest", settings.Consumer.Properties["auto.offset.reset"]);
        Assert.Equal(32, settings.Limits.MaxJsonDepth);
        Assert.Equal("k1:9092", settings.Consumer.BootstrapServers);
        Assert.Equal("k1:9092", settings.Producer.BootstrapServers);
    }

    [Theory]
    [InlineData("pipeline.upstream.auto-offset-reset=newest", "pipeline.upstream.auto-offset-reset")]
    [InlineData("pipeline.upstream.max-json-depth=0", "pipeline.upstream.max-json-depth")]
    public void A_bad_value_names_the_key_and_its_origin(string assignment, string key)
    {
        var error = Assert.Throws<ConfigurationError>(() => UpstreamSettings.Create(With(assignment)));

        Assert.Contains(key, error.Message);
        Assert.Contains("--set", error.Message);
    }
}
