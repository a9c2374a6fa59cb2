namespace Pipeline.Tests.Helm;

/// <summary>
/// The two renderings every chart test looks at, made once per test class: the chart's defaults, and
/// the production-like release in ci/production-values.yaml (3 replicas, external Kafka with SASL,
/// PostgreSQL and admin token secrets).
/// </summary>
public sealed class ChartRenderings
{
    public const string Default = "default";
    public const string Production = "production";
    public const string ProductionValuesFile = "ci/production-values.yaml";

    private readonly Lazy<RenderedChart> _default = new(() => RenderedChart.Render([]));
    private readonly Lazy<RenderedChart> _production = new(() => RenderedChart.Render([ProductionValuesFile]));

    internal RenderedChart this[string name] => name switch
    {
        Default => _default.Value,
        Production => _production.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Use ChartRenderings.Default or .Production.")
    };
}
