using System.Diagnostics;
using Pipeline.Core.Configuration;
using Pipeline.Core.Hosting;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Core.Replay;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Service.Run;

namespace Pipeline.Service.Replay;

/// <summary>
/// `pipeline replay`: one use case re-run over a time range of the transactions topic, in a node of its own (it joins only
/// itself) with the use case's shard region, whose entities rebuild their state from the history store as the live ones
/// do; so the replay's feedback for a record equals what the live stream gave for it. It reads under a consumer group of
/// its own from the first record at or after --from, and ends once every partition reached the end offset it had when the
/// replay started, or a record past --to.
/// </summary>
internal static class ReplayRun
{
    public static async Task<int> RunAsync(PipelineConfig config, ReplayOptions options, CancellationToken stop)
    {
        var settings = RunSettings.Create(config).RequireExternalInfrastructure("replay");
        var replay = ReplaySettings.Create(config);
        var variants = settings.Registry.ConfigureOne(config.Section("pipeline.use-cases"), options.UseCase);
        settings.Store.EnsureRetains(variants);
        var startedAt = DateTimeOffset.UtcNow;
        var group = options.Group ?? replay.GroupIdFor(options.UseCase, startedAt);
        var output = options.OutputTopic ?? replay.OutputTopic;
        var transactions = settings.Topics.Transactions;

        var ends = TopicEnds.Read(settings.UseCaseStreams.Consumer.WithGroupId(group), transactions, replay.MetadataTimeout);
        var bounds = new ReplayBounds(options.To, ends.ToDictionary(e => e.Partition, e => e.High));
        var progress = new ReplayProgress(ends, options.From, bounds);
        var streamSettings = settings.UseCaseStreams.WithFeedbackTopic(output) with
        {
            GroupId = group,
            Start = StartPosition.FromTime(options.From),
            Bounds = bounds
        };
        Console.Out.WriteLine($"replay: use case {options.UseCase} from {options.From:O} to {(options.To is { } to ? to.ToString("O") : "the end")} " +
                              $"of '{transactions}' ({ends.Sum(e => e.High - e.Low)} records held), group {group}, feedback to '{output}'");

        var clock = Stopwatch.StartNew();
        await using var runtime = await NodeRuntime.StartAsync(NodeRuntime.Standalone(config.Root), settings, NodeRuntime.StandaloneJoin(settings),
            NodeRoles.UseCasesOnly(options.UseCase).Announced);
        var history = new TransactionHistory(runtime.Store, runtime.Registry, streamSettings.HistoryPageSize, streamSettings.MaxConcurrentRebuilds);
        var region = await UseCaseShardRegion.StartAsync(runtime.System, variants, history, settings.Topics.Partitions, streamSettings.PassivateAfter);
        var running = await UseCaseStream.RunAsync(variants, streamSettings, region, runtime.Registry, runtime.Customers, runtime.Materializer,
            progress.Observe, stop);

        var stopped = Task.Delay(Timeout.Infinite, stop);
        var ended = await Task.WhenAny(progress.Finished, running.Completion, stopped);
        try
        {
            // Stop reading, let what is in flight be sent and committed, leave the group.
            await running.DrainAndShutdown();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"replay: the stream failed: {e.GetBaseException().Message}. Nothing is lost: run the replay again " +
                                    $"(with --group {group} it resumes from its commits, else it starts over; feedback ids are the same either way).");
            await runtime.StopAsync(settings.ShutdownTimeout);
            return 1;
        }
        await runtime.StopAsync(settings.ShutdownTimeout);

        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        var outcome = ended == progress.Finished ? "done" : ended == stopped ? "interrupted" : "stream ended early";
        if (outcome == "done" && progress.Records == 0)
        {
            var newest = ends.Max(e => e.LastTimestamp);
            var oldest = TopicEnds.OldestTimestamp(settings.UseCaseStreams.Consumer.WithGroupId(group), ends, replay.MetadataTimeout);
            Console.Out.WriteLine(oldest is null
                ? $"replay: the range holds no records: '{transactions}' holds none at all."
                : $"replay: the range from {options.From:O} holds no records: '{transactions}' holds records with timestamps from {oldest:O} to {newest:O}. " +
                  "--from and --to select by these Kafka timestamps (when each raw record was sent), not by the transactions' event times.");
        }
        Console.Out.WriteLine($"replay: {outcome}; {progress.Records} records read, {progress.Evaluated} evaluated, {progress.Feedback} feedback " +
                              $"to '{output}' in {seconds:F1} s ({progress.Records / seconds:F0} records/s)");
        return ended == progress.Finished ? 0 : 1;
    }
}
