using System.Data.Common;

namespace Pipeline.Core.Storage;

/// <summary>
/// The part of a page read both stores share: the parameters of the range-and-cursor query and the
/// reading of its rows (event_time, id, kind, payload), and the page of a day's customers. Each store writes its own SQL
/// around the first.
/// </summary>
internal static class HistoryPageCommand
{
    /// <summary>Binds customer, day range, time range, cursor and limit; <paramref name="prefix"/> is the driver's parameter marker, if its names need one (SQLite: "$").</summary>
    public static void Bind(DbCommand command, string prefix, HistoryQuery query, HistoryCursor? after, int pageSize)
    {
        Add(command, prefix + "customer", query.CustomerId);
        Add(command, prefix + "firstDay", query.FirstDay);
        Add(command, prefix + "lastDay", query.LastDay);
        Add(command, prefix + "from", query.FromMillis);
        Add(command, prefix + "to", query.ToMillis);
        Add(command, prefix + "afterDay", after is { } a ? DayBucket.Of(a.EventTimeMillis) : int.MinValue);
        Add(command, prefix + "afterTime", after?.EventTimeMillis ?? long.MinValue);
        Add(command, prefix + "afterId", after?.Id ?? "");
        Add(command, prefix + "limit", pageSize);
    }

    /// <summary>Runs the command and returns the page; a full page carries the cursor to continue after its last row.</summary>
    public static async Task<HistoryPage> ReadAsync(DbCommand command, HistoryQuery query, int pageSize, CancellationToken cancellationToken)
    {
        var rows = new List<HistoryRow>(Math.Min(pageSize, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new HistoryRow(
                query.Table,
                query.CustomerId,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetFieldValue<byte[]>(3)));
        }
        return new HistoryPage(rows, rows.Count == pageSize ? rows[^1].Cursor : null);
    }

    /// <summary>
    /// The customers of one day after a cursor: binds day, cursor and limit (named with <paramref name="prefix"/>) to a query on
    /// <paramref name="table"/> that the command gets, runs it and returns the customer ids in order.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ReadCustomersAsync(
        DbCommand command, string prefix, string table, int day, string? after, int limit, CancellationToken cancellationToken)
    {
        command.CommandText = $"SELECT customer_id FROM {table} WHERE day = {prefix}day AND customer_id > {prefix}after ORDER BY customer_id LIMIT {prefix}limit";
        Add(command, prefix + "day", day);
        Add(command, prefix + "after", after ?? "");
        Add(command, prefix + "limit", limit);
        var customers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            customers.Add(reader.GetString(0));
        return customers;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
