using Akka.Actor;
using Akka.Streams;
using Confluent.SchemaRegistry;
using Pipeline.Core.Hosting;
using Pipeline.Core.Sharding;
using Pipeline.Core.Storage;

namespace Pipeline.Core.UseCases;

/// <summary>
/// Runs each enabled use case as its own supervised stream over its own shard region: one failing, stopped or slow
/// use case never stops another. Use cases start and stop at runtime by key.
/// </summary>
public sealed class UseCaseHost
{
    private readonly Dictionary<string, (IReadOnlyList<ConfiguredUseCase> Variants, SupervisedStream Stream, UseCaseFindings Findings)> _useCases;

    private UseCaseHost(Dictionary<string, (IReadOnlyList<ConfiguredUseCase>, SupervisedStream, UseCaseFindings)> useCases) => _useCases = useCases;

    /// <summary>The keys of the hosted use cases, in configuration order.</summary>
    public IReadOnlyList<string> Keys => _useCases.Keys.ToList();

    /// <summary>Starts a shard region and a stream for every use case in <paramref name="configured"/>, each with the stream settings <paramref name="settingsFor"/> gives its key.</summary>
    /// <param name="onProcessed">Called with the use case's stage name and the input's progress (latency, findings) after each input is done.</param>
    public static async Task<UseCaseHost> StartAsync(
        ActorSystem system, IReadOnlyList<ConfiguredUseCase> configured, Func<string, UseCaseStreamSettings> settingsFor, ISchemaRegistryClient registry,
        IHistoryStore store, CustomerSettingsTable customers, Action<string, UseCaseProgress>? onProcessed = null)
    {
        var materializer = system.Materializer();
        var useCases = new Dictionary<string, (IReadOnlyList<ConfiguredUseCase>, SupervisedStream, UseCaseFindings)>();
        foreach (var variants in configured.GroupBy(u => u.UseCase.ConfigKey).Select(g => (IReadOnlyList<ConfiguredUseCase>)g.ToList()))
        {
            var key = variants[0].UseCase.ConfigKey;
            var settings = settingsFor(key);
            var history = new TransactionHistory(store, registry, settings.HistoryPageSize);
            var stage = UseCaseStreamSettings.StageName(key);
            var region = await UseCaseShardRegion.StartAsync(system, variants, history, settings.Topics.Partitions, settings.PassivateAfter, settings.Dispatcher).ConfigureAwait(false);
            var poison = new PoisonRecords(stage, settings.Input.DeadLetters.PoisonAfter, system.Log);
            var findings = new UseCaseFindings(settings.LatestFindings);
            var stream = new SupervisedStream(stage,
                stop => UseCaseStream.RunAsync(variants, settings, region, registry, customers, materializer,
                    progress =>
                    {
                        findings.Observe(progress.Findings);
                        onProcessed?.Invoke(stage, progress);
                    }, stop, new ShardsFollowPartitions(system, UseCaseShardRegion.TypeName(key)), poison),
                settings.Restart, system.Log, poison);
            useCases[key] = (variants, stream, findings);
            stream.Start();
        }
        return new UseCaseHost(useCases);
    }

    /// <summary>The state of every hosted use case.</summary>
    public IReadOnlyList<UseCaseStatus> Status() => _useCases.Select(entry =>
    {
        var (variants, stream, findings) = entry.Value;
        return new UseCaseStatus(entry.Key, variants[0].Name, variants.Select(v => v.Variant).ToList(), stream.State, stream.RestartCount,
            stream.LastFailure, stream.Control?.Metrics.TotalLag ?? 0, findings.PerVariant, findings.Latest);
    }).ToList();

    /// <summary>The supervised stream of a use case, or null when no such use case is hosted.</summary>
    public SupervisedStream? Stream(string key) => _useCases.TryGetValue(key, out var entry) ? entry.Stream : null;

    /// <summary>Stops every use case: drains, commits and closes their consumers.</summary>
    public Task StopAllAsync(TimeSpan timeout) => Task.WhenAll(_useCases.Values.Select(u => u.Stream.StopAsync(timeout)));
}
