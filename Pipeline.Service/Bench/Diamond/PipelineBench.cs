using System.Diagnostics;
using Pipeline.Core.Configuration;
using Pipeline.Core.Measurement;
using Pipeline.Core.Schemas;
using Pipeline.Core.Upstream;
using Pipeline.Service.Run;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>
/// <c>pipeline bench pipeline</c>: the whole diamond in this process on the embedded Kafka, the embedded registry and a
/// SQLite store. Throughput and memory while draining a pre-loaded backlog, the plain-loop ceiling on the same
/// transactions right after each drain, then per-event latency at fixed input rates, each on a fresh diamond.
/// </summary>
internal sealed class PipelineBench(PipelineBenchOptions options, Func<IEnumerable<string>, PipelineConfig> load, TextWriter log) : DiamondBench(load)
{
    public async Task<PipelineBenchResult> RunAsync(CancellationToken cancellationToken)
    {
        await StartInfrastructureAsync(cancellationToken);

        var drains = new List<DrainRun>();
        for (var run = 1; run <= options.Runs; run++)
            drains.Add(await DrainAsync(run, cancellationToken));
        var latencies = new List<LatencyRun>();
        if (options.Duration > TimeSpan.Zero)
        {
            foreach (var rate in options.Rates)
                latencies.Add(await LatencyAsync(rate, cancellationToken));
        }
        return new PipelineBenchResult(drains, latencies);
    }

    private async Task<DrainRun> DrainAsync(int run, CancellationToken cancellationToken)
    {
        await using var diamond = Infrastructure.CreateDiamond($"drain{run}-{Guid.NewGuid():N}"[..16], options.Records);
        var settings = diamond.Settings;
        var fill = diamond.WriteBacklog(Inspector, options.Records, "--records");
        log.WriteLine($"  run {run}: {options.Records:N0} raw records written in {fill.TotalSeconds:F1} s (zstd), low watermark 0 on all {settings.Topics.Partitions} partitions; draining...");

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var metricsBefore = await HistogramTotals.ReadAsync();
        var memory = MemorySampler.Start();
        using var allocations = options.AllocationTypes > 0 ? new AllocationSampler() : null;
        var started = DateTime.UtcNow;
        await diamond.StartAsync();
        var drain = await diamond.WaitForDrainAsync(Inspector, options.Records, started, cancellationToken);
        var peaks = await memory.StopAsync();
        allocations?.Dispose(); // stops sampling before the plain loop runs; the using's second dispose does nothing
        if (allocations is not null)
            WriteAllocations(run, allocations.Top(options.AllocationTypes), peaks.Allocated, options.Records);
        var metrics = (await HistogramTotals.ReadAsync()).Since(metricsBefore);
        await diamond.StopAsync();
        // What stays resident without the node: mostly the embedded broker's copy of every topic, which grows with the backlog.
        var afterStop = WorkingSetAfterFullCollection();
        log.WriteLine($"  run {run}: diamond {drain.PerSecond:N0} records/s ({drain.Elapsed.TotalSeconds:F1} s after {drain.StartUp.TotalSeconds:F1} s start-up), " +
                      $"{drain.Transactions:N0} transactions, {drain.Feedback:N0} feedback, {drain.Notifications:N0} notifications, peak working set {peaks.PeakWorkingSet / 1e6:F0} MB");

        var (plain, plainCpu, plainAllocated, plainFeedback) = await CeilingAsync(diamond, drain.Transactions, cancellationToken);
        var problem = drain.Problem ?? (plainFeedback != drain.Feedback ? $"the plain loop wrote {plainFeedback} feedback records, the diamond {drain.Feedback}" : null);
        log.WriteLine($"  run {run}: plain loop {drain.Transactions / plain.TotalSeconds:N0} records/s{(problem is null ? "" : "  NOT VERIFIED: " + problem)}");
        return new DrainRun(run, drain, peaks, afterStop, metrics, plain, plainCpu, plainAllocated, problem);
    }

    private void WriteAllocations(int run, IReadOnlyList<(string Type, long Bytes, double Share)> top, long allocated, long records)
    {
        log.WriteLine($"  run {run}: most allocated types (share of sampled bytes, and per input record at {allocated / (double)records / 1024:F1} KiB allocated per record):");
        foreach (var (type, _, share) in top)
            log.WriteLine($"    {share,6:P1}  {share * allocated / records,8:N0} B/record  {type}");
    }

    private static long WorkingSetAfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    /// <summary>The plain loop over the drained diamond's transactions, into a topic of its own; returns its time, CPU time, allocations and feedback count.</summary>
    private async Task<(TimeSpan Elapsed, TimeSpan Cpu, long Allocated, long Feedback)> CeilingAsync(BenchDiamond diamond, long transactions, CancellationToken cancellationToken)
    {
        var output = $"plain-feedback-{diamond.Id}";
        Infrastructure.Kafka.CreateTopic(output, diamond.Settings.Topics.Partitions);
        using var registry = SchemaRegistryClients.Create(diamond.Settings.UseCaseStreams.SchemaRegistry);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes();
        var (elapsed, consumed) = await Task.Run(() => PlainUseCaseLoop.Run(diamond.Settings, registry, diamond.Settings.Topics.Transactions, output,
            $"plain-{diamond.Id}", transactions, cancellationToken), cancellationToken);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        allocated = GC.GetTotalAllocatedBytes() - allocated;
        if (consumed != transactions)
            throw new InvalidOperationException($"the plain loop consumed {consumed} of {transactions} transactions");
        return (elapsed, cpu, allocated, Inspector.Watermarks(output).Appended);
    }

    private async Task<LatencyRun> LatencyAsync(int rate, CancellationToken cancellationToken)
    {
        var records = (long)(rate * (PipelineBenchOptions.WarmUp + options.Duration).TotalSeconds);
        await using var diamond = Infrastructure.CreateDiamond($"rate{rate}-{Guid.NewGuid():N}"[..16], records);
        var settings = diamond.Settings;
        log.WriteLine($"  {rate:N0} records/s for {PipelineBenchOptions.WarmUp.TotalSeconds:F0} s warm-up + {options.Duration.TotalSeconds:F0} s...");
        var started = DateTime.UtcNow;
        await diamond.StartAsync();
        using var registry = SchemaRegistryClients.Create(settings.UseCaseStreams.SchemaRegistry);
        var measureFrom = DateTime.UtcNow + PipelineBenchOptions.WarmUp;
        using var hops = new HopReader(settings.Consumer.WithGroupId($"hops-{diamond.Id}").ToConsumerConfig(), registry, settings.Topics, measureFrom);
        // The floor: the raw topic the feeder writes, read by a plain consumer of its own (one Kafka hop, nothing of ours in it).
        using var floor = new TopicLatencyReader(settings.Consumer.WithGroupId($"floor-{diamond.Id}").ToConsumerConfig(), settings.Topics.Raw,
            settings.Topics.Partitions, settings.Consumer.PollTimeout, measureFrom);
        using var gcPauses = new GcPauseRecorder(measureFrom);

        // The streams count the warm-up's records but record the latency only of records stamped after it.
        diamond.Statistics.RecordLatencyFrom = measureFrom;
        var measured = await Task.Run(() => InputFeeder.Paced(settings.Producer.ToProducerConfig(), settings.Producer.FlushTimeout, settings.Topics.Raw, rate,
            PipelineBenchOptions.WarmUp + options.Duration, measureFrom, diamond.RawRecords(), cancellationToken), cancellationToken);
        var fed = Inspector.Watermarks(settings.Topics.Raw).Appended;
        var drain = await diamond.WaitForDrainAsync(Inspector, fed, started, cancellationToken);
        var stages = diamond.Statistics.Streams.ToDictionary(s => s.Stream, s => s.Counters.Latency.TakeInterval());
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // the hop reader's last fetches, the runtime's last events
        var latency = new LatencyRun(rate, measured, drain, stages[PipelineNode.NotificationsStream], stages[UpstreamSettings.StageName],
            hops.TransactionToFeedback(), hops.FeedbackToNotification(), floor.Latency.TakeInterval(), gcPauses.Take());
        log.WriteLine($"  {rate:N0} records/s: end to end {latency.EndToEnd.ToLine()}");
        return latency;
    }

}

/// <summary>One drain of the backlog by the diamond and by the plain loop.</summary>
/// <param name="WorkingSetAfterStop">The process's working set once the node stopped and a full GC ran: the embedded broker and the rest of the bench.</param>
internal sealed record DrainRun(int Run, DrainResult Diamond, MemoryPeaks Memory, long WorkingSetAfterStop, HistogramTotals Metrics, TimeSpan Plain, TimeSpan PlainCpu, long PlainAllocated,
    string? Problem)
{
    public double PlainPerSecond => Diamond.Transactions / Plain.TotalSeconds;
}

/// <summary>Latency at one fixed input rate: end to end and per hop, over the records stamped after the warm-up.</summary>
/// <param name="Floor">One plain Kafka hop at the same time: raw record produced -> seen by a plain consumer.</param>
/// <param name="GcPauses">Each stop of this process's threads for a GC after the warm-up.</param>
internal sealed record LatencyRun(int Rate, long Measured, DrainResult Drain, LatencySnapshot EndToEnd, LatencySnapshot RawToTransactions,
    LatencySnapshot TransactionsToFeedback, LatencySnapshot FeedbackToNotification, LatencySnapshot Floor, GcPauses GcPauses)
{
    /// <summary>Per hop, its p99 above the floor's p99: what the pipeline adds to one Kafka hop.</summary>
    public IReadOnlyList<(string Hop, double Milliseconds)> OverheadAtP99 =>
    [
        ("upstream", RawToTransactions.P99 - Floor.P99),
        ("use cases", TransactionsToFeedback.P99 - Floor.P99),
        ("downstream", FeedbackToNotification.P99 - Floor.P99)
    ];
}

internal sealed record PipelineBenchResult(IReadOnlyList<DrainRun> Drains, IReadOnlyList<LatencyRun> Latencies);
