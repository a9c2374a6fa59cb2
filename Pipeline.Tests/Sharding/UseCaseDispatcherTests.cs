using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Pipeline.Core.Configuration;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Tests.Sharding;

/// <summary>A use case's own dispatcher, on a real actor system: threads of its own, which another use case never waits for.</summary>
public sealed class UseCaseDispatcherTests
{
    [Fact]
    public async Task Own_gives_each_use_case_dedicated_threads_so_one_blocking_them_does_not_hold_up_another()
    {
        var config = PipelineConfig.Load(null, [], new Dictionary<string, string>());
        using var system = ActorSystem.Create("dispatcher-test", config.Root.WithFallback(ConfigurationFactory.Default()));
        var slow = UseCaseDispatcher.Resolve(system, "slow", UseCaseDispatcher.Own);
        var other = UseCaseDispatcher.Resolve(system, "other", UseCaseDispatcher.Own);
        Assert.NotEqual(slow, other);
        Assert.Equal(slow, UseCaseDispatcher.Resolve(system, "slow", UseCaseDispatcher.Own));
        Assert.Equal("pipeline.dispatchers.heavy", UseCaseDispatcher.Resolve(system, "x", "pipeline.dispatchers.heavy"));
        Assert.Equal("", UseCaseDispatcher.Resolve(system, "x", ""));

        // 24 actors each blocking 250 ms on the slow use case's dispatcher: they run on threads of its own, not the .NET thread pool.
        var blocking = new Blocking();
        var done = Enumerable.Range(0, 24)
            .Select(i => system.ActorOf(Props.Create(() => new BlockingActor(blocking)).WithDispatcher(slow)).Ask<string>("go", TimeSpan.FromSeconds(30)))
            .ToList();
        // Meanwhile the other use case's dispatcher serves its actor.
        await system.ActorOf(Props.Create(() => new BlockingActor(new Blocking(TimeSpan.Zero))).WithDispatcher(other)).Ask<string>("go", TimeSpan.FromSeconds(30));
        var slowStillBusy = done.Count(t => !t.IsCompleted);
        await Task.WhenAll(done);

        Assert.False(blocking.OnThreadPool);
        Assert.InRange(blocking.Threads.Count, 1, blocking.MaxConcurrent);
        // The dedicated threads were all busy blocking, yet the other use case's actor was served: it waited for none of them.
        Assert.True(slowStillBusy > 0, "the blocking actors finished before the other use case's actor answered; the test proves nothing");
    }

    [Fact]
    public void Own_without_the_template_is_refused_naming_the_setting_and_the_fix()
    {
        var config = PipelineConfig.Load(null, ["pipeline.use-cases.stream.dispatcher=own", "pipeline.dispatchers=null"], new Dictionary<string, string>());
        var error = Assert.Throws<ConfigurationError>(() => UseCaseStreamSettings.Create(config));
        Assert.Contains("pipeline.use-cases.stream.dispatcher", error.Message);
        Assert.Contains(UseCaseDispatcher.Template, error.Message);
    }

    private sealed class Blocking(TimeSpan? hold = null)
    {
        private int _running;
        private int _max;

        public TimeSpan Hold { get; } = hold ?? TimeSpan.FromMilliseconds(250);

        public ConcurrentDictionary<int, bool> Threads { get; } = new();

        public int MaxConcurrent => _max;

        public bool OnThreadPool { get; private set; }

        public void Run()
        {
            Threads[Environment.CurrentManagedThreadId] = true;
            OnThreadPool |= Thread.CurrentThread.IsThreadPoolThread;
            var now = Interlocked.Increment(ref _running);
            int seen;
            while ((seen = _max) < now && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }
            Thread.Sleep(Hold);
            Interlocked.Decrement(ref _running);
        }
    }

    private sealed class BlockingActor : ReceiveActor
    {
        public BlockingActor(Blocking blocking) => Receive<string>(_ =>
        {
            blocking.Run();
            Sender.Tell("done");
        });
    }
}
