using Pipeline.Core.Configuration;

namespace Pipeline.Core.Tracing;

/// <summary>Traces per record, from <c>pipeline.tracing</c>.</summary>
/// <param name="SampleRatio">The share of records upstream samples (0 to 1); later hops follow the record's sampled flag.</param>
/// <param name="OtlpEndpoint">Where spans are exported over OTLP (gRPC); null turns tracing off.</param>
/// <param name="ServiceName">The <c>service.name</c> the spans are reported under.</param>
public sealed record TracingSettings(double SampleRatio, Uri? OtlpEndpoint, string ServiceName)
{
    public static TracingSettings Create(ConfigSection section)
    {
        var ratio = section.GetDouble("sample-ratio");
        if (ratio is < 0 or > 1 || double.IsNaN(ratio))
            throw new ConfigurationError($"pipeline.tracing.sample-ratio is {ratio}: set a share between 0 and 1 (0.01 samples 1 % of records).");
        var endpoint = section.GetString("otlp-endpoint");
        Uri? uri = null;
        if (endpoint.Length > 0 && (!Uri.TryCreate(endpoint, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https")))
            throw new ConfigurationError($"pipeline.tracing.otlp-endpoint '{endpoint}' is not an http(s) URL: set e.g. http://otel-collector:4317, or \"\" for tracing off.");
        return new TracingSettings(ratio, uri, section.GetString("service-name"));
    }
}
