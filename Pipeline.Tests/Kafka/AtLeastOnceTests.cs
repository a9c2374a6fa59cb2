using Akka.Streams;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Kafka;

[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class AtLeastOnceTests(EmbeddedKafkaFixture fixture, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private const int Partitions = 8;
    private const int Records = 100_000;

    [Fact]
    public async Task Killing_the_stream_three_times_loses_nothing_and_duplicates_only_the_uncommitted_window()
    {
        var input = fixture.CreateTopic("alo-in", Partitions);
        var outputTopic = fixture.CreateTopic("alo-out", Partitions);
        var group = EmbeddedKafkaFixture.UniqueGroup("alo");
        fixture.Produce(input, Records, keys: 1000);
        var random = new Random(7);
        long uncommittedAtKills = 0;
        long committedAfterPrevious = 0;
        long writtenAfterPrevious = 0;

        for (var kill = 0; kill < 3; kill++)
        {
            // An actor system of its own, terminated without draining: the abrupt end a crash gives.
            var system = Akka.Actor.ActorSystem.Create($"crash-{kill}");
            var run = PassThroughRun.Start(fixture.BootstrapServers, input, outputTopic, group, system.Materializer());
            var killAt = random.Next(5_000, 25_000);
            await AwaitConditionAsync(() => Task.FromResult(run.Acknowledged >= killAt), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(5));
            var acknowledgedBeforeKill = run.Acknowledged;
            await system.Terminate();
            await run.Control.IsShutdown.WaitAsync(TimeSpan.FromSeconds(30));
            // Outputs in Kafka include sends the stream had not seen acknowledged yet when it died.
            var written = TopicReader.EndOffsetsTotal(fixture.BootstrapServers, outputTopic, Partitions);
            var committed = TopicReader.CommittedTotal(fixture.BootstrapServers, group, input, Partitions);
            var window = (written - writtenAfterPrevious) - (committed - committedAfterPrevious);
            uncommittedAtKills += window;
            committedAfterPrevious = committed;
            writtenAfterPrevious = written;
            Output!.WriteLine($"kill {kill + 1} after {acknowledgedBeforeKill} acknowledged: {window} written but not committed");
        }

        var last = PassThroughRun.Start(fixture.BootstrapServers, input, outputTopic, group, Sys.Materializer());
        await AwaitConditionAsync(() => Task.FromResult(TopicReader.CommittedTotal(fixture.BootstrapServers, group, input, Partitions) == Records),
            TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(500));
        await last.Control.DrainAndShutdown(last.Completion).WaitAsync(TimeSpan.FromSeconds(30));

        var outputs = TopicReader.ReadAll(fixture.BootstrapServers, outputTopic, Records, TimeSpan.FromSeconds(60));
        var distinct = outputs.Select(r => r.Message.Value).ToHashSet();
        Assert.Equal(Records, distinct.Count); // every input has at least one output
        var duplicates = outputs.Count - distinct.Count;
        Output!.WriteLine($"{outputs.Count} outputs for {Records} inputs: {duplicates} duplicates, uncommitted window at the kills {uncommittedAtKills}");
        Assert.True(duplicates <= uncommittedAtKills, $"{duplicates} duplicates but only {uncommittedAtKills} outputs were written for uncommitted inputs at the kills");

        // Per key (so per partition) the first occurrences keep the input order.
        foreach (var byKey in outputs.GroupBy(r => r.Message.Key))
        {
            var firstSeen = byKey.Select(r => int.Parse(r.Message.Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
            Assert.Equal(firstSeen.Order(), firstSeen);
        }
    }
}
