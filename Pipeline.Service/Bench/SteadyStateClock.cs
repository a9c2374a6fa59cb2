using System.Diagnostics;

namespace Pipeline.Service.Bench;

/// <summary>
/// Times one variant in steady state: from the first record its transform sees (so client start-up, group
/// join and Streamiz's initialisation are excluded alike) until the broker holds all its output records.
/// </summary>
internal sealed class SteadyStateClock
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private long _firstRecord;

    /// <summary>Called by the transform on every record; only the first call stores a time.</summary>
    public void MarkRecord()
    {
        if (Volatile.Read(ref _firstRecord) == 0)
            Interlocked.CompareExchange(ref _firstRecord, Stopwatch.GetTimestamp(), 0);
    }

    /// <summary>
    /// Polls the output topic's high watermarks until they add up to <paramref name="expected"/>; returns the time
    /// since the first record. Fails when the variant fails or when it makes no progress for <paramref name="stallTimeout"/>.
    /// </summary>
    public async Task<TimeSpan> WaitForOutputAsync(TopicInspector inspector, string outputTopic, long expected, Task variant, TimeSpan stallTimeout, CancellationToken cancellationToken)
    {
        long seen = -1;
        var lastProgress = Stopwatch.StartNew();
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            var appended = inspector.Watermarks(outputTopic).Appended;
            if (appended >= expected && Volatile.Read(ref _firstRecord) != 0)
                return Stopwatch.GetElapsedTime(Volatile.Read(ref _firstRecord), now);
            if (variant.IsFaulted)
                await variant;
            if (appended != seen)
            {
                seen = appended;
                lastProgress.Restart();
            }
            else if (lastProgress.Elapsed > stallTimeout)
            {
                throw new TimeoutException($"no output for {stallTimeout.TotalSeconds:F0} s: {appended} of {expected} records reached {outputTopic}");
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
