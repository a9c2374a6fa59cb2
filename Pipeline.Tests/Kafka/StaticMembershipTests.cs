using System.Diagnostics;
using Confluent.Kafka;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Kafka;

/// <summary>
/// What the embedded broker (librdkafka's mock cluster) does with static membership: it keeps the group.instance.id a
/// member joins with but finds members by member id only, so a member restarted under the same instance id joins as a
/// new member and waits for the old one's session to expire, as a dynamic member would. This pins the limit stated in
/// docs/reliability.md; when a librdkafka release honours static membership, this test fails and the docs and the
/// restart tests can claim the shorter gap.
/// </summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class StaticMembershipTests(EmbeddedKafkaFixture fixture, ITestOutputHelper output)
{
    private const int SessionTimeoutMs = 6000;

    /// <summary>
    /// The member that comes back joins with the same instance id (static), or with none (dynamic: the situation of a
    /// killed dynamic member, whose old member also stays until its session expires; the mock treats both alike).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void On_the_embedded_broker_a_member_back_at_once_still_waits_for_the_old_session(bool staticMember)
    {
        var topic = fixture.CreateTopic("static", 2);
        var group = EmbeddedKafkaFixture.UniqueGroup("static");

        using (var first = Consumer(group, "pipeline-0"))
        {
            first.Subscribe(topic);
            WaitForAssignment(first, TimeSpan.FromSeconds(30));
            // A static member does not leave its group when it closes: to the broker this is a process that died.
            first.Close();
        }

        var back = Stopwatch.StartNew();
        using var second = Consumer(group, staticMember ? "pipeline-0" : null);
        second.Subscribe(topic);
        WaitForAssignment(second, TimeSpan.FromSeconds(30));
        output.WriteLine($"the restarted {(staticMember ? "static" : "dynamic")} member got its partitions after {back.Elapsed.TotalSeconds:F1} s (session timeout {SessionTimeoutMs / 1000} s)");
        second.Close();

        Assert.True(back.Elapsed >= TimeSpan.FromMilliseconds(SessionTimeoutMs * 0.8),
            $"assigned after {back.Elapsed.TotalSeconds:F1} s, well within the session timeout: the embedded broker now honours static membership; update docs/reliability.md");
    }

    private IConsumer<byte[], byte[]> Consumer(string group, string? instanceId) => new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
    {
        BootstrapServers = fixture.BootstrapServers,
        GroupId = group,
        GroupInstanceId = instanceId,
        SessionTimeoutMs = SessionTimeoutMs,
        HeartbeatIntervalMs = 1000,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false
    }).Build();

    private static void WaitForAssignment(IConsumer<byte[], byte[]> consumer, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (consumer.Assignment.Count == 0)
        {
            Assert.True(clock.Elapsed < timeout, $"no assignment within {timeout.TotalSeconds} s");
            consumer.Consume(TimeSpan.FromMilliseconds(50));
        }
    }
}
