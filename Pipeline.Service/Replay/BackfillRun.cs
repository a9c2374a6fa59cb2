using System.Diagnostics;
using Akka.Streams;
using Akka.Streams.Dsl;
using Pipeline.Core.Configuration;
using Pipeline.Core.Hosting;
using Pipeline.Core.Replay;
using Pipeline.Core.Storage;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Service.Run;

namespace Pipeline.Service.Replay;

/// <summary>
/// `pipeline backfill`: commits the hand-over offsets for the use case's group, then runs the use case over the last N days of
/// the history store in a node of its own (it joins only itself) and sends its feedback; see <see cref="HistoryBackfill"/>
/// for the design.
/// </summary>
internal static class BackfillRun
{
    public static async Task<int> RunAsync(PipelineConfig config, string useCase, int days, string? outputTopic, CancellationToken stop)
    {
        var settings = RunSettings.Create(config).RequireExternalInfrastructure("backfill");
        var backfill = BackfillSettings.Create(config);
        var variants = settings.Registry.ConfigureOne(config.Section("pipeline.use-cases"), useCase);
        settings.Store.EnsureRetains(variants);
        var streamSettings = settings.UseCaseStreams.WithFeedbackTopic(outputTopic ?? settings.Topics.Feedback);
        var group = streamSettings.GroupIdFor(useCase);
        var consumer = streamSettings.Consumer.WithGroupId(group);

        var ends = TopicEnds.Read(consumer, settings.Topics.Transactions, backfill.MetadataTimeout);
        // Taken once the ends are noted: every record before them was accepted by upstream by now (clocks in sync), so its
        // event time is at most now + max-future-skew.
        var notedAt = DateTimeOffset.UtcNow;
        var from = notedAt.AddDays(-days);
        var through = notedAt + settings.Upstream.Limits.MaxFutureSkew;
        var handOver = BackfillHandOver.Commit(consumer, ends, backfill.MetadataTimeout);
        var offsets = string.Join(", ", handOver.Offsets.OrderBy(o => o.Key.Partition.Value).Select(o => $"{o.Key.Partition.Value}:{o.Value}"));
        Console.Out.WriteLine(handOver.CommittedNow
            ? $"backfill: the live stream of {useCase} (group {group}) will start at offsets [{offsets}] of '{settings.Topics.Transactions}'"
            : $"backfill: group {group} has committed offsets already [{offsets}]; its live stream resumes from them, and what the backfill evaluates again is de-duplicated downstream");
        Console.Out.WriteLine($"backfill: use case {useCase} over records from {from:O} to {through:O}, feedback to '{streamSettings.Topics.Feedback}'");

        var clock = Stopwatch.StartNew();
        await using var runtime = await NodeRuntime.StartAsync(NodeRuntime.Standalone(config.Root), settings, NodeRuntime.StandaloneJoin(settings),
            NodeRoles.UseCasesOnly(useCase).Announced);
        var history = new TransactionHistory(runtime.Store, runtime.Registry, streamSettings.HistoryPageSize, streamSettings.MaxConcurrentRebuilds);
        var region = await UseCaseShardRegion.StartAsync(runtime.System, variants, history, settings.Topics.Partitions, streamSettings.PassivateAfter);
        var evaluate = await UseCaseEvaluation.CreateAsync<BackfillPosition>(variants, streamSettings, region, runtime.Registry, runtime.Customers, stop);
        var progress = new BackfillProgress(Console.Out);
        var (kill, done) = HistoryBackfill.Inputs(runtime.Store, history, from, through, backfill.CustomersPageSize, backfill.ReadParallelism)
            .ViaMaterialized(KillSwitches.Single<UseCaseInput<BackfillPosition>>(), Keep.Right)
            .Via(evaluate)
            .ToMaterialized(Sink.ForEach<UseCaseOutput<BackfillPosition>>(progress.Observe), Keep.Both)
            .Run(runtime.Materializer);
        // Ctrl-C stops reading; what is in flight is still evaluated and sent.
        await using var onStop = stop.Register(kill.Shutdown);

        var exitCode = 0;
        try
        {
            await done;
            progress.FinishDay();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"backfill: failed: {e.GetBaseException().Message}. Run it again: the hand-over offsets stay as committed, " +
                                    "and feedback sent twice has the same id, which downstream delivers once.");
            exitCode = 1;
        }
        if (exitCode == 0 && progress.Records == 0)
            await ExplainEmptyRangeAsync(runtime.Store, from, through, settings.Store.Retention);
        await runtime.StopAsync(settings.ShutdownTimeout);
        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        var outcome = exitCode != 0 ? "failed" : stop.IsCancellationRequested ? "interrupted" : "done";
        Console.Out.WriteLine($"backfill: {outcome}; {progress.Records} records of {progress.CustomerDays} customer-days, {progress.Feedback} feedback " +
                              $"to '{streamSettings.Topics.Feedback}' in {seconds:F1} s ({progress.Records / seconds:F0} records/s)");
        return outcome == "done" ? 0 : 1;
    }

    // Event times, not the machine's clock, place records in the store: the generator's run three months back, say.
    private static async Task ExplainEmptyRangeAsync(IHistoryStore store, DateTimeOffset from, DateTimeOffset through, TimeSpan retention)
    {
        var searched = (DayBucket.Of(from - retention - TimeSpan.FromDays(366)), DayBucket.Of(through + TimeSpan.FromDays(366)));
        var days = await StoredDays.FindAsync(store, searched.Item1, searched.Item2);
        Console.Out.WriteLine(days is { } d
            ? $"backfill: the range {from:yyyy-MM-dd} .. {through:yyyy-MM-dd} holds no records; the history store holds event-time days {d.Oldest:yyyy-MM-dd} .. " +
              $"{d.Newest:yyyy-MM-dd} ({store.Description}). Record times are event times (the generator's run about three months back): " +
              $"give --days {(int)Math.Ceiling((DateTimeOffset.UtcNow - new DateTimeOffset(d.Oldest.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)).TotalDays)} to reach the oldest."
            : $"backfill: the range {from:yyyy-MM-dd} .. {through:yyyy-MM-dd} holds no records, and the history store ({store.Description}) holds none " +
              $"from {DayBucket.Date(searched.Item1):yyyy-MM-dd} to {DayBucket.Date(searched.Item2):yyyy-MM-dd}: has a pipeline run written to this store?");
    }
}
