using Akka.Cluster;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Service.Bench;
using Pipeline.Tests.Generator;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Diamond;

/// <summary>
/// Roles split the diamond over two nodes of one cluster: the oldest node runs upstream and downstream only, the other every
/// use case. The use cases' shard regions (and their coordinators) live on the use-case node alone.
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class NodeRolesClusterTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Each_node_runs_the_stages_and_use_cases_its_roles_name_and_every_expected_notification_arrives()
    {
        await using var diamond = await DiamondHarness.CreateAsync(kafka);
        var records = DiamondTests.Generate(6_000);
        var expected = ExpectedNotifications.Compute(records.Select(r => RawRecordParser.Parse(r.Value)),
            diamond.Settings.UseCases, new Experiments(diamond.Settings.Downstream.BSharePercent));

        var seed = LoopbackPorts.Free();
        var edges = await diamond.StartMemberAsync(seed, seed, "upstream", "downstream");
        var useCases = await diamond.StartMemberAsync(LoopbackPorts.Free(), seed, "use-cases");

        Assert.NotNull(edges.Upstream);
        Assert.NotNull(edges.Downstream);
        Assert.Empty(edges.UseCases.Keys);
        Assert.Null(useCases.Upstream);
        Assert.Null(useCases.Downstream);
        Assert.Equal(diamond.Settings.UseCases.Select(u => u.UseCase.ConfigKey).Distinct(), useCases.UseCases.Keys);
        var members = Cluster.Get(edges.System).State.Members;
        Assert.Contains(members, m => m.Roles.Contains("upstream") && m.Roles.Contains("downstream") && !m.Roles.Any(r => r.StartsWith("use-case", StringComparison.Ordinal)));
        Assert.Contains(members, m => m.Roles.Contains("use-case:duplicate-charge") && !m.Roles.Contains("upstream"));

        diamond.ProduceRaw(records);
        var notifications = await diamond.ReadNotificationsAsync(expected.Count, Timeout);
        output.WriteLine($"{records.Count} records, {notifications.Count} notifications, {expected.Count} expected");
        Assert.Equal(expected.Keys.Order(), notifications.Select(n => n.notificationId).Distinct().Order());
    }
}
