using System.Data.Common;

namespace Pipeline.Core.Storage;

/// <summary>
/// The part of a page read both stores share: the parameters of the range-and-cursor query and the
/// reading of its rows (event_time, id, kind, payload). Each store writes its own SQL around them.
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

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
