namespace Pipeline.Core.Kafka;

/// <summary>
/// Materialized by every Kafka source: stops it, drains it and reports its metrics. The safe way to end a
/// committable stream is <see cref="DrainAndShutdown{T}"/>: stop reading, let the records in flight reach the
/// committer, then leave the group, so a restart neither loses nor repeats anything.
/// </summary>
public sealed class ConsumerControl
{
    private readonly Action _stop;
    private readonly Task _stopped;
    private readonly Action<bool> _close;
    private readonly Task _closed;
    private readonly Func<ConsumerMetrics> _metrics;
    private readonly TimeSpan _closeTimeout;

    internal ConsumerControl(Action stop, Task stopped, Action<bool> close, Task closed, Func<ConsumerMetrics> metrics, TimeSpan closeTimeout)
    {
        _stop = stop;
        _stopped = stopped;
        _close = close;
        _closed = closed;
        _metrics = metrics;
        _closeTimeout = closeTimeout;
    }

    /// <summary>Stops emitting records and completes the source; the consumer stays open so in-flight offsets can be committed.</summary>
    public Task Stop()
    {
        _stop();
        return _stopped;
    }

    /// <summary>Stops and closes the consumer (leaves the group). Completes when it is closed or the close timeout passed.</summary>
    public async Task Shutdown()
    {
        _stop();
        _close(false);
        await Task.WhenAny(_closed, Task.Delay(_closeTimeout)).ConfigureAwait(false);
    }

    /// <summary>Stops, waits for <paramref name="streamCompletion"/> (every emitted record committed), then shuts down.</summary>
    public async Task<T> DrainAndShutdown<T>(Task<T> streamCompletion)
    {
        await Stop().ConfigureAwait(false);
        try
        {
            return await streamCompletion.ConfigureAwait(false);
        }
        finally
        {
            await Shutdown().ConfigureAwait(false);
        }
    }

    /// <summary>Completes when the consumer is closed.</summary>
    public Task IsShutdown => _closed;

    public ConsumerMetrics Metrics => _metrics();
}
