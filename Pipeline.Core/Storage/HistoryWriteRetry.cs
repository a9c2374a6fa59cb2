using System.Data.Common;
using System.Diagnostics;
using System.Net.Sockets;

namespace Pipeline.Core.Storage;

/// <summary>Writes one batch, retrying with exponential backoff while the store is unavailable, up to the deadline.</summary>
internal static class HistoryWriteRetry
{
    /// <summary>
    /// Appends <paramref name="rows"/>; transient failures (database, network, timeout) are retried until
    /// <see cref="HistoryWriteSettings.RetryDeadline"/>, and an attempt still blocked at the deadline is cancelled where
    /// the driver can cancel it (Npgsql; Microsoft.Data.Sqlite does not interrupt a command waiting for a lock, which ends by the busy timeout).
    /// Either way the batch then fails with <see cref="HistoryStoreUnavailableException"/>. Returns the store's conflicts.
    /// </summary>
    public static async Task<IReadOnlyList<HistoryConflict>> AppendAsync(IHistoryStore store, IReadOnlyList<HistoryRow> rows, HistoryWriteSettings settings)
    {
        // A batch of row-less elements (dead letters, filtered feedback) needs no write, and must not count as one the
        // store accepted: that would end an outage in the store's health while the store still refuses every write.
        if (rows.Count == 0)
            return [];
        var health = HistoryStoreHealth.Of(store);
        var started = Stopwatch.GetTimestamp();
        var elapsed = Stopwatch.StartNew();
        var backoff = settings.MinBackoff;
        var attempts = 0;
        Exception? lastError = null;
        while (true)
        {
            attempts++;
            var remaining = settings.RetryDeadline - elapsed.Elapsed;
            // A store that hangs (a lock held elsewhere, a silent network) must not hold the stream forever.
            using var deadline = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            Exception failure;
            try
            {
                var conflicts = await store.AppendAsync(rows, deadline.Token);
                health.Accepted();
                return conflicts;
            }
            catch (Exception e) when (IsTransient(e) || (e is OperationCanceledException && deadline.IsCancellationRequested))
            {
                failure = e;
                health.Failed(started);
                // An attempt cut short by the deadline says nothing new; the error before it is the cause to report.
                if (e is not OperationCanceledException)
                    lastError = e;
            }

            remaining = settings.RetryDeadline - elapsed.Elapsed;
            if (remaining <= TimeSpan.Zero)
                throw Unavailable(store, rows.Count, settings, elapsed.Elapsed, attempts, lastError ?? failure);
            await Task.Delay(backoff < remaining ? backoff : remaining);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.MaxBackoff.Ticks));
        }
    }

    private static HistoryStoreUnavailableException Unavailable(
        IHistoryStore store, int rowCount, HistoryWriteSettings settings, TimeSpan elapsed, int attempts, Exception failure)
    {
        var cause = failure is OperationCanceledException
            ? "the last attempt was still blocked when the deadline passed (is a lock held or the network silent?)"
            : Describe(failure);
        return new HistoryStoreUnavailableException(
            $"{store.Description} did not accept a batch of {rowCount} rows for {elapsed.TotalSeconds:F1}s " +
            $"({attempts} attempts, pipeline.store.write.retry-deadline = {settings.RetryDeadline}); cause: {cause}. " +
            "Check that the store is running and reachable and that no other process holds a lock on it; " +
            "if outages this long are expected, raise pipeline.store.write.retry-deadline.", failure);
    }

    // The outer exception of a driver often says only "failed to connect"; the inner one says why.
    private static string Describe(Exception e) =>
        e.InnerException is null ? $"{e.GetType().Name}: {Sentence(e)}" : $"{e.GetType().Name}: {Sentence(e)} ({Describe(e.InnerException)})";

    // The cause sits inside a sentence of its own, so its closing period would double.
    private static string Sentence(Exception e) => e.Message.TrimEnd().TrimEnd('.');

    private static bool IsTransient(Exception e) =>
        e is DbException or TimeoutException or IOException or SocketException
        || (e is InvalidOperationException && e.InnerException is not null && IsTransient(e.InnerException));
}
