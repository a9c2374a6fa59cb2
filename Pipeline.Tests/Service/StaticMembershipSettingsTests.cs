using Pipeline.Core.Configuration;
using Pipeline.Service.Run;

namespace Pipeline.Tests.Service;

/// <summary>pipeline.kafka.group-instance-id: the node's stable name reaches every stage's consumer; none means dynamic membership.</summary>
public sealed class StaticMembershipSettingsTests
{
    [Fact]
    public void The_stable_name_becomes_the_group_instance_id_of_every_stage_consumer()
    {
        var settings = RunSettings.Create(PipelineConfig.Load(null,
            ["pipeline.kafka.group-instance-id=pipeline-2", "pipeline.use-cases.unusual-tip.stream.ask-parallelism=8"], new Dictionary<string, string>()));

        Assert.Equal("pipeline-2", settings.Upstream.Consumer.Properties["group.instance.id"]);
        Assert.Equal("pipeline-2", settings.UseCaseStreams.Consumer.Properties["group.instance.id"]);
        Assert.Equal("pipeline-2", settings.UseCaseStreamsFor("unusual-tip").Consumer.Properties["group.instance.id"]);
        Assert.Equal("pipeline-2", settings.Downstream.Consumer.Properties["group.instance.id"]);
    }

    [Fact]
    public void Without_a_stable_name_the_consumers_are_dynamic_members()
    {
        var settings = RunSettings.Create(PipelineConfig.Defaults());

        Assert.False(settings.Upstream.Consumer.Properties.ContainsKey("group.instance.id"));
        Assert.False(settings.UseCaseStreams.Consumer.Properties.ContainsKey("group.instance.id"));
        Assert.False(settings.Downstream.Consumer.Properties.ContainsKey("group.instance.id"));
    }

    [Fact]
    public void A_name_kafka_would_refuse_is_refused_at_start_with_the_rule()
    {
        var error = Assert.Throws<ConfigurationError>(() => RunSettings.Create(PipelineConfig.Load(null,
            ["pipeline.kafka.group-instance-id=\"node 1/a\""], new Dictionary<string, string>())));

        Assert.Contains("pipeline.kafka.group-instance-id", error.Message, StringComparison.Ordinal);
        Assert.Contains("dynamic membership", error.Message, StringComparison.Ordinal);
    }
}
