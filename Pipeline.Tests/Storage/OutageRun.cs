using Pipeline.Core.Storage;

namespace Pipeline.Tests.Storage;

/// <summary>What the write flow did across an outage; counts are of elements, each carrying one row.</summary>
public sealed record OutageRun(
    int Sent,
    IReadOnlyList<int> Passes,
    int EmittedWhenStarted,
    int StoredWhenStarted,
    int EmittedAfterSettling,
    int EmittedWhenEnded,
    int MaxInFlight,
    IReadOnlyList<HistoryRow> StoredAtEnd,
    TimeSpan Elapsed)
{
    /// <summary>How long after the outage starts the batches committed just before it have surely left the flow.</summary>
    public static readonly TimeSpan Settling = TimeSpan.FromSeconds(3);
}
