namespace Pipeline.Core.Storage;

/// <summary>Applies the retention of <c>pipeline.store.retention</c> to a store, once or on a schedule.</summary>
public static class HistoryRetention
{
    /// <summary>
    /// Drops every day that ends before <c>now - retention</c>, in both tables, and returns the days dropped.
    /// Rows live at least <paramref name="retention"/> and less than one day longer.
    /// </summary>
    public static Task<IReadOnlyList<DateOnly>> ExpireAsync(this IHistoryStore store, DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken = default) =>
        store.DropDaysBeforeAsync(DayBucket.OldestKept(now, retention), cancellationToken);

    /// <summary>
    /// Starts expiring <paramref name="store"/> at once and then every <see cref="HistoryStoreSettings.RetentionCheckInterval"/>
    /// of <paramref name="timeProvider"/>, relative to its current time, until <paramref name="cancellationToken"/> is
    /// cancelled; the task then completes. Each run is reported to <paramref name="onRun"/>. A failed run (store
    /// unavailable) is reported and does not stop the schedule: the next check tries again, and meanwhile rows merely
    /// live a little longer. A check due while a run is still going starts right after it; missed checks are not repeated.
    /// </summary>
    public static Task Start(
        IHistoryStore store, HistoryStoreSettings settings, TimeProvider timeProvider, CancellationToken cancellationToken,
        Action<RetentionRun>? onRun = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        // The caller goes on at once: the first run is not awaited here.
        return Task.Run(() => RunAsync(store, settings.Retention, settings.RetentionCheckInterval, timeProvider, onRun, cancellationToken), CancellationToken.None);
    }

    private static async Task RunAsync(
        IHistoryStore store, TimeSpan retention, TimeSpan interval, TimeProvider timeProvider, Action<RetentionRun>? onRun, CancellationToken cancellationToken)
    {
        // Created before the first run, so the ticks keep their rhythm however long a run takes.
        using var timer = new PeriodicTimer(interval, timeProvider);
        try
        {
            do
            {
                var run = await ExpireOnceAsync(store, retention, timeProvider.GetUtcNow(), cancellationToken);
                onRun?.Invoke(run);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is the normal end of the schedule.
        }
    }

    private static async Task<RetentionRun> ExpireOnceAsync(IHistoryStore store, TimeSpan retention, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var oldestKept = DayBucket.Date(DayBucket.OldestKept(now, retention));
        try
        {
            var dropped = await store.ExpireAsync(now, retention, cancellationToken);
            return new RetentionRun(store.Description, now, oldestKept, dropped, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new RetentionRun(store.Description, now, oldestKept, [], e);
        }
    }
}
