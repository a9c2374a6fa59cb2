using System.Text.RegularExpressions;

namespace Pipeline.Core.Storage.PostgreSql;

/// <summary>Names of the PostgreSQL tables and day partitions. Partition names carry their date, e.g. <c>history_records_20261124</c>.</summary>
internal static partial class PostgreSqlNames
{
    /// <summary>The parent (partitioned) table of a history table.</summary>
    public static string Table(HistoryTable table) => table switch
    {
        HistoryTable.Records => "history_records",
        HistoryTable.Outputs => "history_outputs",
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, null)
    };

    /// <summary>The partition of a table holding one day.</summary>
    public static string Partition(HistoryTable table, int day) => $"{Table(table)}_{DayBucket.Date(day):yyyyMMdd}";

    /// <summary>The day a partition of <paramref name="table"/> holds, or null for a table that is not one of its day partitions.</summary>
    public static int? DayOfPartition(HistoryTable table, string partitionName)
    {
        var prefix = Table(table) + "_";
        if (!partitionName.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        return DateOnly.TryParseExact(partitionName[prefix.Length..], "yyyyMMdd", out var date) ? DayBucket.FromDate(date) : null;
    }

    /// <summary>True for names that need no quoting: safe to put into DDL.</summary>
    public static bool IsPlainIdentifier(string name) => PlainIdentifier().IsMatch(name);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex PlainIdentifier();
}
