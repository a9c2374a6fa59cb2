using System.Diagnostics;
using HdrHistogram;
using Npgsql;
using Pipeline.Core.Storage;
using Pipeline.Core.Storage.PostgreSql;

namespace Pipeline.Service.Bench.Store;

/// <summary>
/// The read an entity makes when it activates: its customer's whole window of records, page by page, through the store's
/// own <see cref="PostgreSqlHistoryStore.ReadPageAsync"/>; and, to measure what preparing it brings, the same SQL unprepared.
/// </summary>
internal sealed class ActivationReads(PostgreSqlHistoryStore store, NpgsqlDataSource unpreparedSource, string schema, int pageSize, DateTimeOffset windowEnd, TimeSpan window)
{
    /// <summary>Reads one customer's window with the store; returns the rows read.</summary>
    public async Task<int> ReadAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var query = Query(customerId);
        var rows = 0;
        HistoryCursor? after = null;
        do
        {
            var page = await store.ReadPageAsync(query, after, pageSize, cancellationToken);
            rows += page.Rows.Count;
            after = page.Next;
        } while (after is not null);
        return rows;
    }

    /// <summary>The same read with the same SQL, planned anew on every page (the store's read before it prepared it).</summary>
    public async Task<int> ReadUnpreparedAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var query = Query(customerId);
        var rows = 0;
        HistoryCursor? after = null;
        do
        {
            await using var connection = await unpreparedSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(PostgreSqlHistoryStore.PageSql(schema, HistoryTable.Records), connection);
            HistoryPageCommand.Bind(command, "", query, after, pageSize);
            var page = await HistoryPageCommand.ReadAsync(command, query, pageSize, cancellationToken);
            rows += page.Rows.Count;
            after = page.Next;
        } while (after is not null);
        return rows;
    }

    /// <summary>Times one read of each customer, one after another; returns the latencies in microseconds and the mean rows per window.</summary>
    public static async Task<(LongHistogram Micros, double MeanRows)> TimeAsync(IEnumerable<string> customers, Func<string, Task<int>> read)
    {
        var histogram = new LongHistogram(TimeStamp.Minutes(10), 3);
        long rows = 0, reads = 0;
        foreach (var customer in customers)
        {
            var started = Stopwatch.GetTimestamp();
            rows += await read(customer);
            reads++;
            histogram.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds));
        }
        return (histogram, reads == 0 ? 0 : rows / (double)reads);
    }

    private HistoryQuery Query(string customerId) => new(HistoryTable.Records, customerId, windowEnd - window, windowEnd);
}
