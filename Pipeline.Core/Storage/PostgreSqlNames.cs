using System.Text.RegularExpressions;

namespace Pipeline.Core.Storage;

/// <summary>Names of the PostgreSQL tables and day partitions. Partition names carry their date, e.g. <c>history_records_20261124</c>.</summary>
internal static partial class PostgreSqlNames
{
    /// <summary>The customers of each day: partition key day, clustering customer id; written with every record.</summary>
    public const string CustomerDays = "history_customer_days";

    /// <summary>Every parent table, each partitioned by day.</summary>
    public static IReadOnlyList<string> DayPartitioned { get; } = [Table(HistoryTable.Records), Table(HistoryTable.Outputs), CustomerDays];

    /// <summary>The parent (partitioned) table of a history table.</summary>
    public static string Table(HistoryTable table) => table switch
    {
        HistoryTable.Records => "history_records",
        HistoryTable.Outputs => "history_outputs",
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, null)
    };

    /// <summary>The partition of a parent table holding one day.</summary>
    public static string Partition(string parent, int day) => $"{parent}_{DayBucket.Date(day):yyyyMMdd}";

    /// <summary>The day a partition of <paramref name="parent"/> holds, or null for a table that is not one of its day partitions.</summary>
    public static int? DayOfPartition(string parent, string partitionName)
    {
        var prefix = parent + "_";
        if (!partitionName.StartsWith(prefix, StringComparison.Ordinal))
            return null;
        return DateOnly.TryParseExact(partitionName[prefix.Length..], "yyyyMMdd", out var date) ? DayBucket.FromDate(date) : null;
    }

    /// <summary>True for names that need no quoting: safe to put into DDL.</summary>
    public static bool IsPlainIdentifier(string name) => PlainIdentifier().IsMatch(name);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex PlainIdentifier();
}
