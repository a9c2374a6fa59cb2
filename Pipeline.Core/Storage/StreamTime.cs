namespace Pipeline.Core.Storage;

/// <summary>
/// The pipeline's event-time reference ("stream time", as in Kafka Streams): the newest event time of the records the
/// pipeline holds, never ahead of the local clock by more than the accepted future skew. Retention and the oldest
/// accepted timestamp both count back from it, so history is kept relative to the data, not to the machine's clock: a
/// pipeline replaying or backfilling old data keeps that data's window, and a restart does not age anything. It only
/// moves forward. Until the pipeline holds a record it is unknown, and nothing is expired or refused as too old.
/// Safe to use from several threads.
/// </summary>
public sealed class StreamTime
{
    private const long Unknown = long.MinValue;
    private readonly TimeSpan _maxFutureSkew;
    private readonly TimeProvider _clock;
    private long _newestMillis = Unknown;

    /// <summary>A stream time that knows no record yet.</summary>
    /// <param name="maxFutureSkew">How far ahead of <paramref name="clock"/> the reference may be (<c>pipeline.upstream.max-future-skew</c>).</param>
    /// <param name="clock">The local clock that bounds the reference.</param>
    public StreamTime(TimeSpan maxFutureSkew, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _maxFutureSkew = maxFutureSkew;
        _clock = clock;
    }

    /// <summary>The reference now, or null while no record is known.</summary>
    public DateTimeOffset? Current
    {
        get
        {
            var newest = Interlocked.Read(ref _newestMillis);
            if (newest == Unknown)
                return null;
            // A row stored before the clock was set back, or under a larger skew, cannot pull the reference into the future.
            var latest = _clock.GetUtcNow() + _maxFutureSkew;
            var time = DateTimeOffset.FromUnixTimeMilliseconds(newest);
            return time < latest ? time : latest;
        }
    }

    /// <summary>Moves the reference to <paramref name="eventTime"/> when that is newer.</summary>
    public void Advance(DateTimeOffset eventTime)
    {
        var millis = eventTime.ToUnixTimeMilliseconds();
        var seen = Interlocked.Read(ref _newestMillis);
        while (millis > seen)
        {
            var before = Interlocked.CompareExchange(ref _newestMillis, millis, seen);
            if (before == seen)
                return;
            seen = before;
        }
    }

    /// <summary>
    /// Moves the reference to the newest record <paramref name="store"/> holds (written by this node before a restart, or
    /// by other nodes), and returns the reference.
    /// </summary>
    public async Task<DateTimeOffset?> CatchUpAsync(IHistoryStore store, CancellationToken cancellationToken = default)
    {
        if (await store.ReadNewestRecordTimeAsync(cancellationToken) is { } newest)
            Advance(newest);
        return Current;
    }
}
