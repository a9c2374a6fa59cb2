using System.Data.Common;
using System.Diagnostics;
using System.Net.Sockets;

namespace Pipeline.Core.Storage;

/// <summary>Writes one batch, retrying with exponential backoff while the store is unavailable, up to the deadline.</summary>
internal static class HistoryWriteRetry
{
    /// <summary>
    /// Appends <paramref name="rows"/>; transient failures (database, network, timeout) are retried until
    /// <see cref="HistoryWriteSettings.RetryDeadline"/> and then reported as <see cref="HistoryStoreUnavailableException"/>.
    /// </summary>
    public static async Task AppendAsync(IHistoryStore store, IReadOnlyList<HistoryRow> rows, HistoryWriteSettings settings)
    {
        var elapsed = Stopwatch.StartNew();
        var backoff = settings.MinBackoff;
        var attempts = 0;
        while (true)
        {
            attempts++;
            try
            {
                await store.AppendAsync(rows);
                return;
            }
            catch (Exception e) when (IsTransient(e))
            {
                var remaining = settings.RetryDeadline - elapsed.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    throw new HistoryStoreUnavailableException(
                        $"{store.Description} did not accept a batch of {rows.Count} rows for {elapsed.Elapsed.TotalSeconds:F1}s " +
                        $"({attempts} attempts, retry-deadline {settings.RetryDeadline}): {e.GetType().Name}: {e.Message}. " +
                        "Check that the store is running and reachable, or raise pipeline.store.write.retry-deadline.", e);
                }
                await Task.Delay(backoff < remaining ? backoff : remaining);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, settings.MaxBackoff.Ticks));
            }
        }
    }

    private static bool IsTransient(Exception e) =>
        e is DbException or TimeoutException or IOException or SocketException
        || (e is InvalidOperationException && e.InnerException is not null && IsTransient(e.InnerException));
}
