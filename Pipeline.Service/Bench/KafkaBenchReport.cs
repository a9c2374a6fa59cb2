using System.Globalization;

namespace Pipeline.Service.Bench;

/// <summary>The summary tables of <c>pipeline bench kafka</c>: medians, ratios against the targets, latency percentiles.</summary>
internal static class KafkaBenchReport
{
    /// <summary>b must reach this share of the plain client loop's throughput.</summary>
    public const double TargetOverPlain = 0.95;

    /// <summary>b must be this many times faster than Streamiz.</summary>
    public const double TargetOverStreamiz = 1.3;

    /// <summary>p99(b) may exceed p99(a) by at most this many milliseconds.</summary>
    public const double TargetP99OverheadMs = 2.0;

    public static void WriteThroughput(TextWriter output, IReadOnlyList<IBenchVariant> variants, IReadOnlyList<ThroughputSample> samples, bool streamizSkipped)
    {
        var runs = samples.Select(s => s.Run).DefaultIfEmpty(0).Max();
        output.WriteLine();
        output.WriteLine($"throughput, median of {runs} run(s):");
        output.WriteLine($"{"variant",-32} {"msgs/s",10}  {"verified",8}  runs (msgs/s)");
        foreach (var variant in variants)
        {
            var mine = samples.Where(s => s.VariantId == variant.Id).ToList();
            var verified = mine.Count(s => s.Verified);
            output.WriteLine(Invariant($"{variant.Id + " " + variant.Description,-32} {Median(variant.Id, samples),10:N0}  {verified + "/" + mine.Count,8}  {string.Join(" / ", mine.Select(s => s.PerSecond.ToString("N0", CultureInfo.InvariantCulture)))}"));
        }
        if (streamizSkipped)
            output.WriteLine($"{"c Streamiz.Kafka.Net 1.8.2",-32} {"skipped",10}  (--skip-streamiz)");
        output.WriteLine(Ratio("b/a", Median("b", samples), Median("a", samples), TargetOverPlain));
        if (!streamizSkipped)
            output.WriteLine(Ratio("b/c", Median("b", samples), Median("c", samples), TargetOverStreamiz));
    }

    public static void WriteLatency(TextWriter output, IReadOnlyList<LatencySample> samples, TimeSpan duration)
    {
        output.WriteLine();
        output.WriteLine(Invariant($"latency, {KafkaBenchOptions.LatencyRate:N0} msgs/s for {duration.TotalSeconds:F0} s after {KafkaBenchOptions.LatencyWarmUp.TotalSeconds:F0} s warm-up, produce timestamp -> output consumed:"));
        output.WriteLine($"{"variant",-10} {"p50 ms",8} {"p99 ms",8} {"p99.9 ms",9} {"max ms",8} {"records",9}  verified");
        foreach (var sample in samples)
        {
            var l = sample.Latency;
            output.WriteLine(Invariant($"{sample.VariantId,-10} {l.P50,8:F1} {l.P99,8:F1} {l.P999,9:F1} {l.Max,8:F1} {sample.Delivered,9}  {(sample.Complete ? "verified" : $"NOT VERIFIED: {sample.Delivered} of {sample.Fed} fed records arrived")}"));
        }
        var a = samples.FirstOrDefault(s => s.VariantId == "a");
        var b = samples.FirstOrDefault(s => s.VariantId == "b");
        if (a is not null && b is not null)
        {
            var overhead = b.Latency.P99 - a.Latency.P99;
            output.WriteLine(Invariant($"p99(b) - p99(a) = {overhead:F1} ms (target <= {TargetP99OverheadMs:F0} ms: {(overhead <= TargetP99OverheadMs ? "met" : "MISSED")})"));
        }
    }

    /// <summary>Median msgs/s of a variant's verified runs (0 when none verified).</summary>
    public static double Median(string variantId, IReadOnlyList<ThroughputSample> samples) => Medians.Of(samples.Where(s => s.VariantId == variantId && s.Verified).Select(s => s.PerSecond));

    private static string Ratio(string name, double numerator, double denominator, double target)
    {
        if (numerator <= 0 || denominator <= 0)
            return $"{name} = n/a (a variant has no verified run)";
        var ratio = numerator / denominator;
        return Invariant($"{name} = {ratio:F2} (target >= {target:F2}: {(ratio >= target ? "met" : "MISSED")})");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
