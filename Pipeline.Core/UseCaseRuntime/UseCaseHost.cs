using Akka.Actor;
using Akka.Streams;
using Confluent.SchemaRegistry;
using Pipeline.Core.Hosting;
using Pipeline.Core.Measurement;
using Pipeline.Core.Storage;
using Akka.Event;
using Pipeline.Core.Configuration;
using Pipeline.Core.UseCaseRuntime.Python;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// Runs each enabled use case as its own supervised stream over its own shard region: one failing, stopped or slow
/// use case never stops another. Use cases start and stop at runtime by key.
/// </summary>
public sealed class UseCaseHost
{
    private readonly Dictionary<string, (IReadOnlyList<ConfiguredUseCase> Variants, SupervisedStream Stream, UseCaseFindings Findings)> _useCases;

    private readonly SemaphoreSlim _reloading = new(1, 1);
    private readonly ILoggingAdapter _log;
    private PythonFileWatcher? _watcher;

    private UseCaseHost(Dictionary<string, (IReadOnlyList<ConfiguredUseCase>, SupervisedStream, UseCaseFindings)> useCases, ILoggingAdapter log)
    {
        _useCases = useCases;
        _log = log;
    }

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
            var history = new TransactionHistory(store, registry, settings.HistoryPageSize, settings.MaxConcurrentRebuilds);
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
        var host = new UseCaseHost(useCases, system.Log);
        var watched = configured.Where(u => u.UseCase is PythonUseCase { ReloadOnChange: true })
            .Select(u => (u.UseCase.ConfigKey, (PythonUseCase)u.UseCase)).ToList();
        if (watched.Count > 0)
            host._watcher = new PythonFileWatcher(watched, key => _ = host.ReloadAfterChangeAsync(key));
        return host;
    }

    /// <summary>
    /// Runs the use case with the current code of its Python files: its stream drains and commits, the new code is loaded,
    /// its entities drop the state the old code built (they rebuild it from the history store with the new code on their next
    /// record), and the stream resumes from its committed offsets. No other use case pauses. Returns null when reloaded, or why
    /// not: a file Python refuses (named with its line) leaves the old code running.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such use case runs here.</exception>
    /// <exception cref="InvalidOperationException">The use case has no Python variant.</exception>
    public async Task<string?> ReloadAsync(string key, TimeSpan timeout)
    {
        if (!_useCases.TryGetValue(key, out var entry))
            throw new KeyNotFoundException($"No use case '{key}' runs on this node. Use cases: {string.Join(", ", _useCases.Keys)}.");
        var python = entry.Variants.Select(v => v.UseCase).OfType<PythonUseCase>().ToList();
        if (python.Count == 0)
            throw new InvalidOperationException($"Use case '{key}' is C#, compiled into the service: only Python use cases reload.");
        await _reloading.WaitAsync().ConfigureAwait(false);
        try
        {
            var wasRunning = entry.Stream.IsStarted;
            await entry.Stream.StopAsync(timeout).ConfigureAwait(false);
            try
            {
                foreach (var useCase in python)
                    useCase.Reload();
                _log.Info("Use case {0} reloaded from {1}", key, string.Join(", ", python.Select(p => p.File)));
                return null;
            }
            catch (ConfigurationError refused)
            {
                _log.Warning("Use case {0} not reloaded, the old code keeps running: {1}", key, refused.Message);
                return refused.Message;
            }
            finally
            {
                if (wasRunning)
                    entry.Stream.Start();
            }
        }
        finally
        {
            _reloading.Release();
        }
    }

    private async Task ReloadAfterChangeAsync(string key)
    {
        try
        {
            await ReloadAsync(key, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.Error(e, "Reloading use case {0} after its file changed failed", key);
        }
    }

    /// <summary>The state of every hosted use case.</summary>
    public IReadOnlyList<UseCaseStatus> Status()
    {
        PythonResources.Sample();
        return _useCases.Select(entry =>
        {
            var (variants, stream, findings) = entry.Value;
            var name = variants[0].Name;
            return new UseCaseStatus(entry.Key, name, variants.Select(v => v.Variant).ToList(), stream.State, stream.RestartCount,
                stream.LastFailure, stream.Control?.Metrics.TotalLag ?? 0, UseCaseResources.Cpu.WithLabels(name).Value,
                (long)UseCaseResources.Memory.WithLabels(name).Value,
                variants.Any(v => v.UseCase is PythonUseCase), findings.PerVariant, findings.Latest);
        }).ToList();
    }

    /// <summary>The supervised stream of a use case, or null when no such use case is hosted.</summary>
    public SupervisedStream? Stream(string key) => _useCases.TryGetValue(key, out var entry) ? entry.Stream : null;

    /// <summary>Stops every use case: drains, commits and closes their consumers.</summary>
    public Task StopAllAsync(TimeSpan timeout)
    {
        _watcher?.Dispose();
        return Task.WhenAll(_useCases.Values.Select(u => u.Stream.StopAsync(timeout)));
    }
}
