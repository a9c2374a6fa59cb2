namespace Pipeline.Core.Storage;

/// <summary>A position in the clustering order (event time, then id); a page continues strictly after it.</summary>
public readonly record struct HistoryCursor(long EventTimeMillis, string Id);
