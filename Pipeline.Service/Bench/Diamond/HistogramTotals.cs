using System.Globalization;
using Prometheus;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>
/// Sums and counts of the pipeline's own Prometheus histograms (over all labels), read from prometheus-net's default
/// registry as /metrics would export them: where the stages spent their time, without a profiler attached.
/// </summary>
internal sealed record HistogramTotals(IReadOnlyDictionary<string, double> Values)
{
    /// <summary>Time in each variant's Evaluate.</summary>
    public const string Evaluate = "pipeline_use_case_evaluate_seconds";

    /// <summary>Time activating entities waited for their state to be read back from the history store.</summary>
    public const string Rebuild = "pipeline_entity_rebuild_seconds";

    private static readonly string[] Names = [Evaluate, Rebuild];

    public static async Task<HistogramTotals> ReadAsync()
    {
        using var text = new MemoryStream();
        await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(text);
        var values = new Dictionary<string, double>();
        foreach (var line in System.Text.Encoding.UTF8.GetString(text.ToArray()).Split('\n'))
        {
            var name = line.Split('{', ' ')[0];
            if (!Names.Any(n => name == n + "_sum" || name == n + "_count"))
                continue;
            values[name] = values.GetValueOrDefault(name) + double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return new HistogramTotals(values);
    }

    public double Sum(string histogram) => Values.GetValueOrDefault(histogram + "_sum");

    public double Count(string histogram) => Values.GetValueOrDefault(histogram + "_count");

    /// <summary>What was observed between <paramref name="before"/> and this reading.</summary>
    public HistogramTotals Since(HistogramTotals before) =>
        new(Values.ToDictionary(v => v.Key, v => v.Value - before.Values.GetValueOrDefault(v.Key)));
}
