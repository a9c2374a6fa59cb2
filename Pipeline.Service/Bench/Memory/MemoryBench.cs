using System.Text.RegularExpressions;
using Pipeline.Core.Configuration;
using Pipeline.Service.Bench.Diamond;

namespace Pipeline.Service.Bench.Memory;

/// <summary>
/// <c>pipeline bench memory</c>: the memory of a node draining a backlog, measured without the embedded broker, which lives
/// in this process while the node is <c>pipeline run</c> in a process of its own. Each drain gets a fresh diamond: the
/// backlog is written first (zstd, checked against the embedded broker's retention), then the node starts on it.
/// </summary>
internal sealed partial class MemoryBench(
    MemoryBenchOptions options, Func<IEnumerable<string>, PipelineConfig> load, string? configFile, IReadOnlyList<string> commandSets, TextWriter log)
    : DiamondBench(load)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);

    public async Task<IReadOnlyList<MemoryRun>> RunAsync(CancellationToken cancellationToken)
    {
        await StartInfrastructureAsync(cancellationToken);
        var runs = new List<MemoryRun>();
        for (var run = 1; run <= options.Runs; run++)
        {
            foreach (var backlog in options.Backlogs)
                runs.Add(await DrainAsync(run, backlog, cancellationToken));
        }
        return runs;
    }

    private async Task<MemoryRun> DrainAsync(int run, int backlog, CancellationToken cancellationToken)
    {
        await using var diamond = Infrastructure.CreateDiamond($"mem{run}-{Guid.NewGuid():N}"[..16], backlog);
        diamond.WriteBacklog(Infrastructure.Inspector, backlog, "--backlogs value");
        log.WriteLine($"  run {run}: {backlog:N0} raw records waiting; starting the node...");

        var started = DateTime.UtcNow;
        await using var node = ChildNode.Start(configFile, [.. commandSets, .. diamond.NodeProcessOverrides], options.NodeEnvironmentVariables);
        var header = await node.WaitForLineAsync("pipeline run |", StartTimeout, cancellationToken);
        var url = HttpUrl().Match(header);
        if (!url.Success)
            throw new InvalidOperationException($"the node's start line names no HTTP address: {header}");
        DrainResult drain;
        NodeMemoryProbe probe;
        await using (probe = NodeMemoryProbe.Start(node, url.Groups[1].Value))
            drain = await diamond.WaitForCommittedEndsAsync(Infrastructure.Inspector, backlog, started, started, cancellationToken);
        var result = new MemoryRun(run, backlog, probe.PeakWorkingSet, probe.PeakGcHeap, drain.Elapsed, node.Cpu, drain.Problem);
        log.WriteLine($"  run {run}: {backlog:N0} drained in {drain.Elapsed.TotalSeconds:F1} s (start-up included), node peak working set " +
                      $"{result.PeakWorkingSet / 1e6:F0} MB, peak GC heap {result.PeakGcHeap / 1e6:F0} MB, {result.CpuMillisecondsPerThousand:F0} ms CPU per 1,000 records" +
                      (drain.Problem is null ? "" : "  NOT VERIFIED: " + drain.Problem));
        return result;
    }

    [GeneratedRegex(@"\| http (\S+)$")]
    private static partial Regex HttpUrl();
}
