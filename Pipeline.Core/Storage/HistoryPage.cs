namespace Pipeline.Core.Storage;

/// <summary>One page of a query's rows; <see cref="Next"/> is where the following page starts, or null after the last page.</summary>
public sealed record HistoryPage(IReadOnlyList<HistoryRow> Rows, HistoryCursor? Next);
