using Akka.Actor;
using Akka.Cluster.Sharding;
using Pipeline.Core.Generator;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Service.Bench;
using Pipeline.Service.Run;
using Pipeline.Tests.Generator;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Diamond;

/// <summary>
/// Three nodes in this process (three actor systems on loopback ports forming one Akka cluster) share the topics,
/// consumer groups and the SQLite store: Kafka splits the partitions between them and sharding their entities.
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class ClusterTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>The generator's first <paramref name="count"/> records of <paramref name="customers"/> customers from 130 days ago (about 2.5 records per customer a day).</summary>
    private static IReadOnlyList<GeneratedRecord> Generate(int count, int customers = 150) =>
        TransactionGenerator.Create(GeneratorTests.DefaultSettings($"pipeline.generator.customers={customers}", "pipeline.generator.start-before-now=130d"))
            .Records().Take(count).ToList();

    [Fact]
    public async Task A_crashed_node_s_partitions_and_shards_move_to_the_survivors_and_every_expected_notification_arrives()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka);
        // 200,000 records over about 80 simulated days, all in the past.
        var records = Generate(200_000, customers: 1000);
        var expected = ExpectedNotifications.Compute(records.Select(r => RawRecordParser.Parse(r.Value)),
            diamond.Settings.UseCases, new Experiments(diamond.Settings.Downstream.BSharePercent));

        var seed = LoopbackPorts.Free();
        await diamond.StartMemberAsync(seed, seed);
        await diamond.StartMemberAsync(LoopbackPorts.Free(), seed);
        var doomed = await diamond.StartMemberAsync(LoopbackPorts.Free(), seed);
        diamond.ProduceRaw(records);
        await diamond.WaitForUseCasesAsync(records.Count / 4, Timeout);
        await diamond.CrashMemberAsync(doomed);
        output.WriteLine($"crashed a node after {diamond.Statistics.ProcessedBy("use-case-duplicate-charge")} records");

        var notifications = await diamond.ReadNotificationsAsync(expected.Count, Timeout);
        var distinct = notifications.Select(n => n.notificationId).Distinct().Order().ToList();
        output.WriteLine($"{notifications.Count} notifications, {notifications.Count - distinct.Count} duplicates before de-duplication, {expected.Count} expected");
        Assert.Equal(expected.Keys.Order(), distinct);
    }

    [Fact]
    public async Task A_node_leaving_gracefully_during_traffic_causes_no_duplicate_notification()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka);
        var records = Generate(36_000);
        var expected = ExpectedNotifications.Compute(records.Select(r => RawRecordParser.Parse(r.Value)),
            diamond.Settings.UseCases, new Experiments(diamond.Settings.Downstream.BSharePercent));

        var seed = LoopbackPorts.Free();
        await diamond.StartMemberAsync(seed, seed);
        var leaving = await diamond.StartMemberAsync(LoopbackPorts.Free(), seed);
        await diamond.StartMemberAsync(LoopbackPorts.Free(), seed);
        diamond.ProduceRaw(records);
        await diamond.WaitForUseCasesAsync(records.Count / 4, Timeout);
        await diamond.LeaveMemberAsync(leaving);

        var notifications = await diamond.ReadNotificationsAsync(expected.Count, Timeout);
        Assert.Equal(expected.Keys.Order(), notifications.Select(n => n.notificationId).Order());

        // Each survivor hosts exactly the shards of the partitions its use-case streams consume.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        string mismatch;
        while ((mismatch = await ShardPlacementMismatchAsync(diamond.Members)) != "")
        {
            Assert.True(DateTime.UtcNow < deadline, "shards do not follow partitions: " + mismatch);
            await Task.Delay(500);
        }
    }

    private static async Task<string> ShardPlacementMismatchAsync(IEnumerable<PipelineNode> members)
    {
        foreach (var node in members)
        {
            foreach (var key in node.UseCases.Keys)
            {
                var region = ClusterSharding.Get(node.System).ShardRegion(UseCaseShardRegion.TypeName(key));
                var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5));
                var hosted = state.Shards.Select(shard => shard.ShardId).Order().ToList();
                var consumed = node.UseCases.Stream(key)!.Control!.Metrics.AssignedPartitions
                    .Select(p => p.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
                if (!hosted.SequenceEqual(consumed))
                    return $"{node.System.Name}@{Akka.Cluster.Cluster.Get(node.System).SelfAddress} {key}: shards [{string.Join(",", hosted)}], partitions [{string.Join(",", consumed)}]";
            }
        }
        return "";
    }
}
