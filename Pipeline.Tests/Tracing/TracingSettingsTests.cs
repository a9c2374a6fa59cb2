using Pipeline.Core.Configuration;
using Pipeline.Core.Tracing;

namespace Pipeline.Tests.Tracing;

public sealed class TracingSettingsTests
{
    private static TracingSettings With(params string[] sets) =>
        TracingSettings.Create(PipelineConfig.Load(null, sets, new Dictionary<string, string>()).Section("pipeline.tracing"));

    [Fact]
    public void By_default_tracing_is_off_with_one_percent_sampled_once_an_endpoint_is_set()
    {
        var settings = With();
        Assert.Null(settings.OtlpEndpoint);
        Assert.Equal(0.01, settings.SampleRatio);
        Assert.Null(TracingExport.Start(settings));
        Assert.Equal(new Uri("http://collector:4317"), With("pipeline.tracing.otlp-endpoint=http://collector:4317").OtlpEndpoint);
    }

    [Theory]
    [InlineData("pipeline.tracing.sample-ratio=1.5", "sample-ratio")]
    [InlineData("pipeline.tracing.sample-ratio=-0.1", "sample-ratio")]
    [InlineData("pipeline.tracing.otlp-endpoint=collector", "otlp-endpoint")]
    [InlineData("pipeline.tracing.otlp-endpoint=collector:4317", "otlp-endpoint")]
    public void A_wrong_setting_is_refused_naming_it_and_the_fix(string set, string name)
    {
        var error = Assert.Throws<ConfigurationError>(() => With(set));
        Assert.Contains(name, error.Message);
        Assert.Contains("set", error.Message);
    }
}
