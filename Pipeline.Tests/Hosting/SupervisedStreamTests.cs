using Akka;
using Pipeline.Core.Hosting;
using Pipeline.Core.Kafka;
using Xunit.Abstractions;

namespace Pipeline.Tests.Hosting;

/// <summary>A stream that keeps failing is restarted with growing backoff, counted, and stops when asked.</summary>
public sealed class SupervisedStreamTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    [Fact]
    public async Task A_stream_failing_at_every_start_restarts_with_exponential_backoff_until_stopped()
    {
        var starts = new List<DateTime>();
        // What a stream does when its registry is unreachable: the start itself fails (no fake stream is needed).
        Task<(ConsumerControl, Task<Done>)> Start(CancellationToken _)
        {
            lock (starts)
                starts.Add(DateTime.UtcNow);
            throw new HttpRequestException("schema registry unreachable");
        }

        var stream = new SupervisedStream("storm", Start, new RestartSettings(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(800), 0), Sys.Log);
        stream.Start();
        await AwaitConditionAsync(() => Task.FromResult(stream.RestartCount >= 5), TimeSpan.FromSeconds(10));
        await stream.StopAsync(TimeSpan.FromSeconds(5));
        var restartsAtStop = stream.RestartCount;
        await Task.Delay(1000);

        Assert.Equal(StreamState.Stopped, stream.State);
        Assert.Equal(restartsAtStop, stream.RestartCount);
        Assert.Equal("schema registry unreachable", stream.LastFailure);
        List<TimeSpan> gaps;
        lock (starts)
            gaps = starts.Zip(starts.Skip(1), (a, b) => b - a).ToList();
        var seen = string.Join(", ", gaps.Select(g => $"{g.TotalMilliseconds:F0} ms"));
        // 100, 200, 400, 800, 800 ms: doubling from the minimum, capped at the maximum.
        Assert.True(gaps[0].TotalMilliseconds is >= 90 and <= 400, $"first backoff not near the minimum: {seen}");
        Assert.True(gaps[2] > gaps[0] * 2.5, $"backoff did not grow: {seen}");
        Assert.True(gaps.All(gap => gap < TimeSpan.FromMilliseconds(800 * 2.5)), $"backoff beyond the maximum: {seen}");
    }
}
