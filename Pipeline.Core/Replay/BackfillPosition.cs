namespace Pipeline.Core.Replay;

/// <summary>Where a backfilled record came from: its day bucket and customer (what a backfill's progress counts by).</summary>
public sealed record BackfillPosition(int Day, string CustomerId);
