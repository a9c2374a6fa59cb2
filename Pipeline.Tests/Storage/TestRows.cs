using System.Text;
using Pipeline.Core.Storage;

namespace Pipeline.Tests.Storage;

/// <summary>Builds history rows with readable ids and payloads that encode their key, so a wrong row is easy to spot.</summary>
public static class TestRows
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static HistoryRow Record(string customer, DateTimeOffset time, string id) =>
        new(HistoryTable.Records, customer, time, id, "transaction", Encoding.UTF8.GetBytes($"record {customer} {id}"));

    public static HistoryRow Output(string customer, DateTimeOffset time, string id, string useCase = "duplicate-charge") =>
        new(HistoryTable.Outputs, customer, time, id, useCase, Encoding.UTF8.GetBytes($"output {customer} {id}"));

    /// <summary><paramref name="count"/> records of one customer, one a minute from <paramref name="start"/>.</summary>
    public static List<HistoryRow> Records(string customer, DateTimeOffset start, int count, string idPrefix = "t") =>
        Enumerable.Range(0, count).Select(i => Record(customer, start.AddMinutes(i), $"{idPrefix}-{i:D6}")).ToList();

    /// <summary>All rows of a query, read page by page.</summary>
    public static async Task<List<HistoryRow>> ReadAllAsync(IHistoryStore store, HistoryQuery query, int pageSize = 1000)
    {
        var rows = new List<HistoryRow>();
        HistoryCursor? after = null;
        while (true)
        {
            var page = await store.ReadPageAsync(query, after, pageSize);
            rows.AddRange(page.Rows);
            if (page.Next is null)
                return rows;
            after = page.Next;
        }
    }

    public static HistoryQuery Everything(HistoryTable table, string customer) =>
        new(table, customer, DateTimeOffset.UnixEpoch, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static List<HistoryRow> InClusteringOrder(IEnumerable<HistoryRow> rows) =>
        rows.OrderBy(r => r.EventTimeMillis).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
}
