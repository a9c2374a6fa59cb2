
namespace Pipeline.Core.Storage;

/// <summary>
/// Applies the retention of <c>pipeline.store.retention</c> to a store, once or on a schedule, counted back from the
/// <see cref="StreamTime"/> (the newest event time the pipeline holds), never from the machine's clock.
/// </summary>
public static class HistoryRetention
{
    /// <summary>
    /// Drops every day that ends before <c>reference - retention</c>, in both tables, and returns the days dropped.
    /// Rows live at least <paramref name="retention"/> of event time and less than one day longer.
    /// </summary>
    public static Task<IReadOnlyList<DroppedDay>> ExpireAsync(this IHistoryStore store, DateTimeOffset reference, TimeSpan retention, CancellationToken cancellationToken = default) =>
        store.DropDaysBeforeAsync(DayBucket.OldestKept(reference, retention), cancellationToken);

    /// <summary>
    /// Starts expiring <paramref name="store"/> at once and then every <see cref="HistoryStoreSettings.RetentionCheckInterval"/>
    /// of <paramref name="timeProvider"/>, until <paramref name="cancellationToken"/> is cancelled; the task then completes.
    /// Each pass first catches <paramref name="streamTime"/> up with the store and counts the retention back from it. Each
    /// run is reported to <paramref name="onRun"/>. A failed run (store unavailable) is reported and does not stop the
    /// schedule: the next check tries again, and meanwhile rows merely live a little longer. A check due while a run is
    /// still going starts right after it; missed checks are not repeated.
    /// </summary>
    public static Task Start(
        IHistoryStore store, HistoryStoreSettings settings, StreamTime streamTime, TimeProvider timeProvider, CancellationToken cancellationToken,
        Action<RetentionRun>? onRun = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(streamTime);
        ArgumentNullException.ThrowIfNull(timeProvider);
        // The caller goes on at once: the first run is not awaited here.
        return Task.Run(() => RunAsync(store, settings, streamTime, timeProvider, onRun, cancellationToken), CancellationToken.None);
    }

    /// <summary>
    /// One pass: catches <paramref name="streamTime"/> up with the store, then drops the days older than the retention
    /// counted back from it, unless they are more than <see cref="HistoryStoreSettings.RetentionMaxDropShare"/> of the days
    /// the store holds; then it refuses and says why. Failures are returned in the run, not thrown.
    /// </summary>
    public static async Task<RetentionRun> ExpireOnceAsync(
        IHistoryStore store, HistoryStoreSettings settings, StreamTime streamTime, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        try
        {
            if (await streamTime.CatchUpAsync(store, cancellationToken) is not { } reference)
                return new RetentionRun(store.Description, at, null, null, [], null, null);
            var oldestKept = DayBucket.OldestKept(reference, settings.Retention);
            var days = await store.ReadRecordDaysAsync(cancellationToken);
            var expired = days.Count(d => d < oldestKept);
            if (days.Count > 0 && expired > settings.RetentionMaxDropShare * days.Count)
                return new RetentionRun(store.Description, at, reference, DayBucket.Date(oldestKept), [],
                    Refusal(store, settings, reference, oldestKept, expired, days.Count), null);
            var dropped = await store.DropDaysBeforeAsync(oldestKept, cancellationToken);
            return new RetentionRun(store.Description, at, reference, DayBucket.Date(oldestKept), dropped, null, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new RetentionRun(store.Description, at, streamTime.Current, null, [], null, e);
        }
    }

    private static string Refusal(IHistoryStore store, HistoryStoreSettings settings, DateTimeOffset reference, int oldestKept, int expired, int held) =>
        (
            FormattableString.Invariant($"{store.Description} holds records on {held} days; keeping {settings.Retention.TotalDays:0.#} days back from the stream time ") +
            FormattableString.Invariant($"{reference:u} (the newest record's event time) would drop {expired} of them (every day before {DayBucket.Date(oldestKept):yyyy-MM-dd}), ") +
            FormattableString.Invariant($"more than pipeline.store.retention-max-drop-share = {settings.RetentionMaxDropShare:0.##} of the store, so nothing was dropped. ") +
            "A jump like this comes from records far newer than the rest (a producer's clock far ahead, a store restored from an old backup). " +
            "If the drop is intended, raise pipeline.store.retention-max-drop-share (1 allows any drop); the next check applies it.");

    private static async Task RunAsync(
        IHistoryStore store, HistoryStoreSettings settings, StreamTime streamTime, TimeProvider timeProvider, Action<RetentionRun>? onRun,
        CancellationToken cancellationToken)
    {
        // Created before the first run, so the ticks keep their rhythm however long a run takes.
        using var timer = new PeriodicTimer(settings.RetentionCheckInterval, timeProvider);
        try
        {
            do
            {
                var run = await ExpireOnceAsync(store, settings, streamTime, timeProvider.GetUtcNow(), cancellationToken);
                onRun?.Invoke(run);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end of the schedule.
        }
    }
}
