using System.Collections.Concurrent;
using Akka;
using Akka.Actor;
using Akka.Event;
using Pipeline.Core.Hosting;
using Pipeline.Core.Kafka;

namespace Pipeline.Tests.Hosting;

/// <summary>A stream that keeps failing is restarted with growing backoff, counted, and stops when asked.</summary>
public sealed class SupervisedStreamTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void Backoff_doubles_from_the_minimum_up_to_the_maximum_stretched_by_at_most_the_random_factor()
    {
        var exact = new RestartSettings(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(800), 0);
        Assert.Equal([100, 200, 400, 800, 800], Enumerable.Range(1, 5).Select(n => exact.Backoff(n, new Random(1)).TotalMilliseconds));

        var jittered = exact with { RandomFactor = 0.5 };
        var random = new Random(7);
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var plain = exact.Backoff(attempt, random);
            Assert.InRange(jittered.Backoff(attempt, random), plain, plain * 1.5);
        }
    }

    [Fact]
    public async Task A_stream_failing_at_every_start_is_restarted_counted_and_logged_once_per_restart_until_stopped()
    {
        var starts = 0;
        var warnings = new ConcurrentQueue<string>();
        Sys.EventStream.Subscribe(Sys.ActorOf(Props.Create(() => new WarningCollector(warnings))), typeof(Warning));
        // What a stream does when its registry is unreachable: the start itself fails (no fake stream is needed).
        Task<DrainingControl<Done>> Start(CancellationToken _)
        {
            Interlocked.Increment(ref starts);
            throw new HttpRequestException("schema registry unreachable");
        }

        var stream = new SupervisedStream("storm", Start, new RestartSettings(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), 0), Sys.Log);
        stream.Start();
        await AwaitConditionAsync(() => Task.FromResult(stream.RestartCount >= 4), TimeSpan.FromSeconds(20));
        await stream.StopAsync(TimeSpan.FromSeconds(5));
        var startsAtStop = Volatile.Read(ref starts);
        await Task.Delay(600);

        Assert.Equal(StreamState.Stopped, stream.State);
        Assert.Equal(startsAtStop, Volatile.Read(ref starts));
        Assert.Equal("schema registry unreachable", stream.LastFailure);
        // One warning per restart, each naming the stream, the cause and the restart's number.
        await AwaitConditionAsync(() => Task.FromResult(warnings.Count(w => w.StartsWith("Stream storm failed", StringComparison.Ordinal)) >= stream.RestartCount),
            TimeSpan.FromSeconds(5));
        var logged = warnings.Where(w => w.StartsWith("Stream storm failed", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(1, stream.RestartCount).Select(n => $"restart {n} in"), logged.Select(w => w[w.IndexOf("restart ", StringComparison.Ordinal)..(w.LastIndexOf(" in ", StringComparison.Ordinal) + 3)]));
        Assert.All(logged, w => Assert.Contains("(schema registry unreachable)", w));
    }

    private sealed class WarningCollector : ReceiveActor
    {
        public WarningCollector(ConcurrentQueue<string> warnings) => Receive<Warning>(w => warnings.Enqueue(w.Message.ToString()!));
    }
}
