using System.Globalization;

namespace Pipeline.Service.Bench.Isolation;

/// <summary>The table of <c>pipeline bench isolation</c>.</summary>
internal static class IsolationBenchReport
{
    public static void Write(TextWriter output, IReadOnlyList<IsolationRun> runs)
    {
        output.WriteLine();
        output.WriteLine(Invariant($"use-case throughput alone and next to a use case blocking {IsolationBenchOptions.SlowDelay.TotalMilliseconds:F0} ms per record and one throwing on ~1 in {IsolationBenchOptions.FailOneIn} records,"));
        output.WriteLine(Invariant($"{runs[0].Transactions:N0} transactions, median of {runs.Count} run(s) (records/s from the last poll that saw each use case idle to its last record):"));
        output.WriteLine($"{"use case",-28} {"solo",8} {"+slow",8} {"+slow/solo",10} {"mixed",8} {"mixed/solo",10}  runs (solo -> +slow -> mixed)");
        var (worstSlow, worstMixed) = (double.MaxValue, double.MaxValue);
        foreach (var key in runs[0].Solo.Select(r => r.Key))
        {
            var solo = Medians.Of(runs.Select(r => Rate(r.Solo, key)));
            var withSlow = Medians.Of(runs.Select(r => Rate(r.WithSlow, key)));
            var mixed = Medians.Of(runs.Select(r => Rate(r.Mixed, key)));
            (worstSlow, worstMixed) = (Math.Min(worstSlow, withSlow / solo), Math.Min(worstMixed, mixed / solo));
            output.WriteLine(Invariant($"{key,-28} {solo,8:N0} {withSlow,8:N0} {withSlow / solo,10:F2} {mixed,8:N0} {mixed / solo,10:F2}  ") +
                             string.Join(" / ", runs.Select(r => Invariant($"{Rate(r.Solo, key):N0} -> {Rate(r.WithSlow, key):N0} -> {Rate(r.Mixed, key):N0}"))));
        }
        var slow = runs.Select(r => r.Slow / r.SlowElapsed.TotalSeconds).ToList();
        output.WriteLine(Invariant($"{"slow (in mixed)",-28} {Medians.Of(slow),8:N0}  ") +
                         string.Join(" / ", runs.Select(r => Invariant($"{r.Slow:N0} records in {r.SlowElapsed.TotalSeconds:F0} s"))));
        output.WriteLine(Invariant($"{"failing (in mixed)",-28} {Medians.Of(runs.Select(r => r.Failing.PerSecond)),8:N0}  ") +
                         string.Join(" / ", runs.Select(r => Invariant($"{r.DeadLetters:N0} dead letters ({r.ExpectedDeadLetters:N0} expected)"))));
        output.WriteLine(Invariant($"others within {IsolationBenchOptions.AllowedDrop:P0} of their solo throughput next to the slow use case: {Verdict(worstSlow)} (lowest {worstSlow:F2}); ") +
                         Invariant($"next to the slow and the failing one: {Verdict(worstMixed)} (lowest {worstMixed:F2})"));
    }

    private static string Verdict(double ratio) => ratio >= 1 - IsolationBenchOptions.AllowedDrop ? "yes" : "NO";

    private static double Rate(IEnumerable<UseCaseRate> rates, string key) => rates.Single(r => r.Key == key).PerSecond;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
