using System.Diagnostics;
using Akka.Cluster;
using Pipeline.Core.Configuration;
using Pipeline.Service.Bench.Diamond;

namespace Pipeline.Service.Bench.Scaling;

/// <summary>
/// <c>pipeline bench scaling</c>: how throughput and CPU grow with the work. For each configuration (1, 2 and 4 reference
/// use cases on one node, 4 on two nodes) a fresh diamond on the shared embedded Kafka and registry: its node(s) start
/// first, and once every stream holds its share of the partitions, the backlog is written and the time runs from
/// the first record written until every stage's group has committed the end of its input. The second node is
/// <c>pipeline run</c> in a process of its own, joined to this process's node as its seed, sharing the topics and the SQLite
/// store, as two pods share Kafka and the history store.
/// </summary>
/// <param name="configFile">The command's --config, which the second node is given too.</param>
/// <param name="commandSets">The command's --set overrides, which the second node is given too.</param>
internal sealed class ScalingBench(
    ScalingBenchOptions options, Func<IEnumerable<string>, PipelineConfig> load, string? configFile, IReadOnlyList<string> commandSets, TextWriter log)
    : DiamondBench(load)
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromMinutes(2);

    public async Task<IReadOnlyList<ScalingRun>> RunAsync(CancellationToken cancellationToken)
    {
        await StartInfrastructureAsync(cancellationToken);
        var runs = new List<ScalingRun>();
        for (var run = 1; run <= options.Runs; run++)
        {
            foreach (var configuration in ScalingBenchOptions.Configurations)
                runs.Add(await MeasureAsync(run, configuration, cancellationToken));
        }
        return CheckNodesAgree(runs);
    }

    /// <summary>Two nodes must deliver exactly the notifications one node delivered from the same records in the same run.</summary>
    private static List<ScalingRun> CheckNodesAgree(List<ScalingRun> runs) => runs.Select(r =>
    {
        var single = runs.First(o => o.Run == r.Run && o.Configuration == r.Configuration with { Nodes = 1 });
        return r.Problem is null && r.Notifications != single.Notifications
            ? r with { Problem = $"{r.Notifications} notifications on {r.Configuration.Nodes} nodes, {single.Notifications} on one" }
            : r;
    }).ToList();

    private async Task<ScalingRun> MeasureAsync(int run, ScalingConfiguration configuration, CancellationToken cancellationToken)
    {
        var id = $"sc{configuration.UseCases}{configuration.Nodes}r{run}-{Guid.NewGuid():N}"[..16];
        await using var diamond = Infrastructure.CreateDiamond(id, options.Records);
        var keys = diamond.UseCaseKeys;
        if (keys.Count < configuration.UseCases)
            throw new InvalidOperationException($"{configuration} needs {configuration.UseCases} enabled use cases; pipeline.use-cases.enabled lists {keys.Count}.");
        var seedPort = LoopbackPorts.Free();
        string[] cluster =
        [
            $"pipeline.use-cases.enabled=[{string.Join(", ", keys.Take(configuration.UseCases).Select(k => $"\"{k}\""))}]",
            $"akka.cluster.seed-nodes=[\"akka.tcp://pipeline@127.0.0.1:{seedPort}\"]"
        ];
        diamond.Reconfigure([.. cluster, $"akka.remote.dot-netty.tcp.port={seedPort}"]);
        var settings = diamond.Settings;
        var records = diamond.RawRecords().Take(options.Records).ToList();

        log.WriteLine($"  run {run}, {configuration}: starting...");
        await diamond.StartAsync();
        ChildNode? second = null;
        try
        {
            if (configuration.Nodes == 2)
                second = await StartSecondNodeAsync(diamond, [.. cluster, $"akka.remote.dot-netty.tcp.port={LoopbackPorts.Free()}"], cancellationToken);
            await WaitForBalancedGroupsAsync(diamond, configuration.Nodes, cancellationToken);

            using var self = Process.GetCurrentProcess();
            TimeSpan CpuOfBoth()
            {
                self.Refresh();
                return self.TotalProcessorTime + (second?.Cpu ?? TimeSpan.Zero);
            }
            var cpu = CpuOfBoth();
            var started = DateTime.UtcNow;
            InputFeeder.Fill(settings.Producer.ToProducerConfig(), settings.Producer.FlushTimeout, settings.Topics.Raw,
                records.Select(r => new Confluent.Kafka.Message<string, byte[]> { Key = r.Key, Value = r.Value }));
            var drain = await diamond.WaitForCommittedEndsAsync(Infrastructure.Inspector, records.Count, started, started, cancellationToken);
            cpu = CpuOfBoth() - cpu;

            var result = new ScalingRun(run, configuration, records.Count, drain.Feedback, drain.Notifications, drain.Elapsed, cpu, drain.Problem);
            log.WriteLine($"  run {run}, {configuration}: {result.PerSecond:N0} records/s ({drain.Elapsed.TotalSeconds:F1} s), " +
                          $"{result.CpuMillisecondsPerThousand:N0} ms CPU per 1,000 records, {drain.Feedback:N0} feedback, {drain.Notifications:N0} notifications" +
                          (drain.Problem is null ? "" : "  NOT VERIFIED: " + drain.Problem));
            return result;
        }
        finally
        {
            // This node leaves first, handing its shards to the second; then the second is killed.
            await diamond.StopAsync();
            if (second is not null)
                await second.DisposeAsync();
        }
    }

    private async Task<ChildNode> StartSecondNodeAsync(BenchDiamond diamond, IEnumerable<string> cluster, CancellationToken cancellationToken)
    {
        var second = ChildNode.Start(configFile, [.. commandSets, .. diamond.NodeProcessOverrides, .. cluster]);
        try
        {
            await second.WaitForLineAsync("pipeline run |", JoinTimeout, cancellationToken);
            var self = Akka.Cluster.Cluster.Get(diamond.Node!.System);
            await UntilAsync(() => self.State.Members.Count(m => m.Status == MemberStatus.Up) == 2, "both nodes Up in one cluster", cancellationToken);
            return second;
        }
        catch
        {
            await second.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until every stream of this process's node has held its share of the partitions (all of them divided by the
    /// number of nodes) for two seconds, so that no rebalance falls into the measurement.
    /// </summary>
    private static async Task WaitForBalancedGroupsAsync(BenchDiamond diamond, int nodes, CancellationToken cancellationToken)
    {
        var share = diamond.Settings.Topics.Partitions / nodes;
        var balancedSince = DateTime.MaxValue;
        await UntilAsync(() =>
        {
            var balanced = diamond.Node!.Streams.All(s => s.Control?.Metrics.AssignedPartitions.Count == share);
            balancedSince = balanced ? (balancedSince == DateTime.MaxValue ? DateTime.UtcNow : balancedSince) : DateTime.MaxValue;
            return DateTime.UtcNow - balancedSince > TimeSpan.FromSeconds(2);
        }, $"every stream holding {share} partitions", cancellationToken);
    }

    private static async Task UntilAsync(Func<bool> done, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + JoinTimeout;
        while (true)
        {
            if (done())
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no {what} within {JoinTimeout.TotalSeconds:F0} s");
            await Task.Delay(100, cancellationToken);
        }
    }
}
