using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Pipeline.Core.Tracing;

/// <summary>The tracer provider that samples and exports the spans of <see cref="RecordTracing"/>.</summary>
public static class TracingExport
{
    /// <summary>
    /// Starts the provider: a root is sampled with <see cref="TracingSettings.SampleRatio"/>, a child follows its parent.
    /// Null (tracing off, nothing listens) when no OTLP endpoint is set and <paramref name="extra"/> adds no exporter.
    /// </summary>
    /// <param name="extra">Further processors or exporters (a test's collector); tracing is on when given.</param>
    public static TracerProvider? Start(TracingSettings settings, Action<TracerProviderBuilder>? extra = null)
    {
        if (settings.OtlpEndpoint is null && extra is null)
            return null;
        var builder = Sdk.CreateTracerProviderBuilder()
            .AddSource(RecordTracing.SourceName)
            .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(settings.SampleRatio)))
            .ConfigureResource(resource => resource.AddService(settings.ServiceName));
        if (settings.OtlpEndpoint is { } endpoint)
            builder.AddOtlpExporter(options => options.Endpoint = endpoint);
        extra?.Invoke(builder);
        return builder.Build();
    }
}
