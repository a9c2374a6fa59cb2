using Confluent.SchemaRegistry;
using Pipeline.Core.Configuration;
using Pipeline.Core.Schemas;
using Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;

namespace Pipeline.Tests.Schemas;

/// <summary>Registry settings come from pipeline.schema-registry, strictly.</summary>
public sealed class SchemaRegistrySettingsTests
{
    private static SchemaRegistrySettings Load(params string[] sets) =>
        SchemaRegistrySettings.Create(PipelineConfig.Load(null, sets, new Dictionary<string, string>()));

    [Fact]
    public void The_shipped_defaults_use_the_embedded_registry_with_topic_subjects_and_BACKWARD()
    {
        var settings = Load();

        Assert.True(settings.IsEmbedded);
        Assert.True(settings.AutoRegister);
        Assert.Equal(SubjectNameStrategy.Topic, settings.SubjectNameStrategy);
        Assert.Equal(CompatibilityLevel.Backward, settings.Embedded.DefaultCompatibility);
        Assert.Equal(0, settings.Embedded.Port);
        Assert.Equal(Path.Combine("data", "schema-registry.db"), settings.Embedded.DatabasePath);
    }

    [Fact]
    public async Task Overrides_are_read_and_the_strategy_names_subjects()
    {
        var settings = Load("pipeline.schema-registry.url=http://registry:8081", "pipeline.schema-registry.subject-name-strategy=topic-record",
            "pipeline.schema-registry.embedded.compatibility=full_transitive", "pipeline.schema-registry.auto-register=off");

        Assert.False(settings.IsEmbedded);
        Assert.False(settings.AutoRegister);
        Assert.Equal(CompatibilityLevel.FullTransitive, settings.Embedded.DefaultCompatibility);
        Assert.Equal("transactions-Pipeline.Contracts.Transaction", await settings.SubjectForAsync("transactions", "Pipeline.Contracts.Transaction"));
    }

    [Theory]
    [InlineData("pipeline.schema-registry.url=registry:8081", "pipeline.schema-registry.url")]
    [InlineData("pipeline.schema-registry.embedded.compatibility=SIDEWAYS", "compatibility")]
    [InlineData("pipeline.schema-registry.subject-name-strategy=associated", "subject-name-strategy")]
    [InlineData("pipeline.schema-registry.embedded.port=70000", "port")]
    public void Bad_values_stop_the_service_naming_the_key(string set, string key)
    {
        var error = Assert.Throws<ConfigurationError>(() => Load(set));
        Assert.Contains(key, error.Message);
    }
}
