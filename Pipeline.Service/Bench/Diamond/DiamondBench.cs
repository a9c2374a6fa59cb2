using Pipeline.Core.Configuration;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>
/// A benchmark of whole diamonds: one <see cref="BenchInfrastructure"/> (embedded Kafka and registry, topic inspector,
/// scratch directory) for all its runs, started by the benchmark and removed on dispose.
/// </summary>
/// <param name="load">Loads the configuration with extra --set overrides, as the command was given.</param>
internal abstract class DiamondBench(Func<IEnumerable<string>, PipelineConfig> load) : IAsyncDisposable
{
    private BenchInfrastructure? _infrastructure;

    protected BenchInfrastructure Infrastructure => _infrastructure ?? throw new InvalidOperationException("the bench infrastructure is not started");

    protected TopicInspector Inspector => Infrastructure.Inspector;

    protected async Task StartInfrastructureAsync(CancellationToken cancellationToken) =>
        _infrastructure = await BenchInfrastructure.StartAsync(load, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_infrastructure is not null)
            await _infrastructure.DisposeAsync();
    }
}
