using System.Globalization;
using Pipeline.Core.Measurement;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>The tables of <c>pipeline bench pipeline</c>.</summary>
internal static class PipelineBenchReport
{
    /// <summary>Input records per second the full diamond should drain on this project's 2-core build machine.</summary>
    public const double TargetPerSecond = 25_000;

    /// <summary>What each hop may add at p99 to one plain Kafka hop, and the end-to-end p99, at the seed's peak of 2,000 records/s.</summary>
    private const double OverheadTargetMilliseconds = 3;
    private const double EndToEndTargetMilliseconds = 100;

    private const string Diamond = "diamond";
    private const string Plain = "plain";

    public static void Write(TextWriter output, PipelineBenchOptions options, PipelineBenchResult result)
    {
        if (result.Drains.Count > 0)
            WriteThroughput(output, options, result.Drains);
        foreach (var latency in result.Latencies)
            WriteLatency(output, options, latency);
        if (result.Latencies.Count > 0)
            output.WriteLine("clock: every latency starts at the raw record's Kafka timestamp (CreateTime, set by the feeding producer from this machine's clock); " +
                             "the first hop ends at the transaction's acknowledgement, end to end at the notification's acknowledgement and store write; " +
                             "the middle hops are the times one consumer of this process first saw a transaction and its feedback, and a feedback and its notification; " +
                             "the floor is the raw record's timestamp to the moment a plain consumer of its own saw it (one Kafka hop, same broker, client settings and load). " +
                             "A middle hop can come out below the floor: its reader's own fetch delay is in both of its sightings and cancels out, while the floor includes its consumer's.");
    }

    private static void WriteThroughput(TextWriter output, PipelineBenchOptions options, IReadOnlyList<DrainRun> drains)
    {
        var samples = drains.SelectMany(d => new[]
        {
            new ThroughputSample(Diamond, d.Run, d.Diamond.Raw, d.Diamond.Elapsed, d.Problem),
            new ThroughputSample(Plain, d.Run, d.Diamond.Transactions, d.Plain, d.Problem)
        }).ToList();
        var diamond = KafkaBenchReport.Median(Diamond, samples);
        var plain = KafkaBenchReport.Median(Plain, samples);
        output.WriteLine();
        output.WriteLine(Invariant($"throughput: draining {options.Records:N0} pre-loaded raw records, median of {drains.Count} run(s):"));
        output.WriteLine($"{"what",-58} {"records/s",10}  {"verified",8}  runs (records/s)");
        Row(output, Diamond, "diamond: upstream + 4 use cases + downstream", samples);
        Row(output, Plain, "plain loop: the same Apply, Dictionary state (ceiling)", samples);
        output.WriteLine(diamond > 0 && plain > 0 ? Invariant($"diamond / plain loop = {diamond / plain:F2}") : "diamond / plain loop = n/a (no verified run)");
        output.WriteLine(Invariant($"target >= {TargetPerSecond:N0} input records/s: {(diamond >= TargetPerSecond ? "met" : "MISSED")}"));

        var median = drains.OrderBy(d => d.Diamond.PerSecond).ElementAt(drains.Count / 2);
        var d = median.Diamond;
        output.WriteLine(Invariant(
            $"median run: {d.Raw:N0} raw -> {d.Transactions:N0} transactions ({d.DeadLetters:N0} dead letters) -> {d.Feedback:N0} feedback -> {d.Notifications:N0} notifications; ") +
            Invariant($"{d.StartUp.TotalSeconds:F1} s start-up before the first record (not in the times)"));
        var busy = median.Memory.Cpu.TotalSeconds / (d.StartUp + d.Elapsed).TotalSeconds;
        output.WriteLine(Invariant(
            $"CPU time per 1,000 input records: diamond {median.Memory.Cpu.TotalMilliseconds * 1000 / d.Raw:F0} ms ({busy:F2} cores busy on average), ") +
            Invariant($"plain loop {median.PlainCpu.TotalMilliseconds * 1000 / d.Transactions:F0} ms ({median.PlainCpu / median.Plain:F2} cores)"));
        output.WriteLine(Invariant(
            $"GC in the diamond: {median.Memory.Allocated / (double)d.Raw / 1024:F1} KiB allocated per input record (plain loop {median.PlainAllocated / (double)d.Transactions / 1024:F1} KiB), ") +
            Invariant($"{median.Memory.GcPaused.TotalSeconds:F2} s paused ({median.Memory.GcPaused / (d.StartUp + d.Elapsed):P1} of the time), {median.Memory.Gen2Collections} gen-2 collections"));
        var m = median.Metrics;
        var rebuilds = m.Count(HistogramTotals.Rebuild);
        output.WriteLine(Invariant(
            $"inside the diamond (Prometheus histograms, median run): {m.Sum(HistogramTotals.Evaluate):F2} s of wall time inside Evaluate over {m.Count(HistogramTotals.Evaluate):N0} calls ") +
            Invariant($"(including GC pauses and waits for a core); {rebuilds:N0} entity activations waited ") +
            Invariant($"{(rebuilds > 0 ? m.Sum(HistogramTotals.Rebuild) / rebuilds * 1000 : 0):F1} ms each on average for their history read"));

        output.WriteLine();
        output.WriteLine(Invariant($"memory while draining {options.Records:N0} records, per run (the embedded broker lives in this process and keeps every earlier run's topics, so the baseline grows from run to run):"));
        foreach (var run in drains)
        {
            var memory = run.Memory;
            output.WriteLine(Invariant(
                $"run {run.Run}: working set {memory.BaselineWorkingSet / 1e6:F0} MB before the node started -> peak {memory.PeakWorkingSet / 1e6:F0} MB (+{(memory.PeakWorkingSet - memory.BaselineWorkingSet) / 1e6:F0} MB); ") +
                Invariant($"GC heap peak {memory.PeakTotalMemory / 1e6:F0} MB (GC.GetTotalMemory), heap size after a GC peak {memory.PeakHeapSize / 1e6:F0} MB (GCMemoryInfo), ") +
                Invariant($"live after a full GC peak {memory.PeakLive / 1e6:F0} MB; working set after the node stopped {run.WorkingSetAfterStop / 1e6:F0} MB"));
        }
    }

    private static void Row(TextWriter output, string id, string what, IReadOnlyList<ThroughputSample> samples)
    {
        var mine = samples.Where(s => s.VariantId == id).ToList();
        output.WriteLine(Invariant(
            $"{what,-58} {KafkaBenchReport.Median(id, samples),10:N0}  {mine.Count(s => s.Verified) + "/" + mine.Count,8}  {string.Join(" / ", mine.Select(s => s.PerSecond.ToString("N0", CultureInfo.InvariantCulture)))}"));
    }

    private static void WriteLatency(TextWriter output, PipelineBenchOptions options, LatencyRun run)
    {
        output.WriteLine();
        output.WriteLine(Invariant(
            $"latency at {run.Rate:N0} records/s for {options.Duration.TotalSeconds:F0} s after {PipelineBenchOptions.WarmUp.TotalSeconds:F0} s warm-up ") +
            Invariant($"({run.Measured:N0} raw records measured; {run.Drain.Notifications:N0} notifications in all), ms:"));
        output.WriteLine($"{"path",-46} {"p50",8} {"p99",8} {"p99.9",8} {"max",8} {"records",8}");
        Latency(output, "raw -> transaction acked (upstream)", run.RawToTransactions);
        Latency(output, "transaction -> feedback (use cases)", run.TransactionsToFeedback);
        Latency(output, "feedback -> notification (downstream)", run.FeedbackToNotification);
        Latency(output, "end to end: raw -> notification acked", run.EndToEnd);
        Latency(output, "floor: raw produced -> seen by a plain consumer", run.Floor);
        output.WriteLine(Invariant($"above the floor at p99 (target <= {OverheadTargetMilliseconds:F0} ms a hop): ") +
                         string.Join(", ", run.OverheadAtP99.Select(o => Invariant($"{o.Hop} {o.Milliseconds:F1} ms"))) +
                         Invariant($"; end to end p99 {run.EndToEnd.P99:F0} ms (target <= {EndToEndTargetMilliseconds:F0} ms at 2,000/s)"));
        var pauses = run.GcPauses.All;
        output.WriteLine(Invariant($"GC pauses after the warm-up (every thread of the process stopped): {pauses.Count:N0}, ") +
                         Invariant($"p50 {pauses.P50:F1} ms, p99 {pauses.P99:F1} ms, max {pauses.Max:F1} ms, {run.GcPauses.Total.TotalSeconds:F2} s in all"));
        if (run.GcPauses.ByKind.Count > 0)
            output.WriteLine("  by collection: " + string.Join(", ", run.GcPauses.ByKind.Select(k =>
                Invariant($"{k.Kind} {k.Pauses.Count:N0} (p50 {k.Pauses.P50:F1} ms, max {k.Pauses.Max:F1} ms)"))));
        if (run.GcPauses.Suspensions.Count > 0)
            output.WriteLine(Invariant($"  stopping the threads (until all reached a safe point), of each pause: p50 {run.GcPauses.Suspensions.P50:F1} ms, ") +
                             Invariant($"p99 {run.GcPauses.Suspensions.P99:F1} ms, max {run.GcPauses.Suspensions.Max:F1} ms"));
        if (run.GcPauses.Collections is { Count: > 0 } kept)
            output.WriteLine(Invariant($"  kept by each collection, median / max: promoted {Medians.Of(kept.Select(c => c.PromotedBytes / 1e6)):F1} / {kept.Max(c => c.PromotedBytes) / 1e6:F1} MB, ") +
                             Invariant($"pinned objects {Medians.Of(kept.Select(c => (double)c.PinnedObjects)):F0} / {kept.Max(c => c.PinnedObjects)}, ") +
                             Invariant($"GC handles {Medians.Of(kept.Select(c => (double)c.Handles)):N0} / {kept.Max(c => c.Handles):N0}"));
        if (run.Drain.Problem is { } problem)
            output.WriteLine($"NOT VERIFIED: {problem}");
    }

    private static void Latency(TextWriter output, string path, LatencySnapshot l) =>
        output.WriteLine(Invariant($"{path,-46} {l.P50,8:F1} {l.P99,8:F1} {l.P999,8:F1} {l.Max,8:F1} {l.Count,8}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
