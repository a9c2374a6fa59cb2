using System.Globalization;

namespace Pipeline.Core.Storage;

/// <summary>
/// What one retention pass did at <see cref="At"/> (the local clock): counted back from the stream time
/// <see cref="Reference"/>, it dropped the days before <see cref="OldestKept"/> that held rows (<see cref="Dropped"/>), or
/// refused because that was too large a share of the store (<see cref="Refusal"/>), or failed with <see cref="Failure"/>
/// and the next check tries again. With no record in the store there is no reference and nothing to expire.
/// </summary>
public sealed record RetentionRun(
    string Store, DateTimeOffset At, DateTimeOffset? Reference, DateOnly? OldestKept, IReadOnlyList<DroppedDay> Dropped,
    string? Refusal, Exception? Failure)
{
    /// <summary>Whether the pass deserves a warning: it dropped rows, refused, or failed.</summary>
    public bool IsWarning => Dropped.Count > 0 || Refusal is not null || Failure is not null;

    /// <summary>One log line: the days and rows dropped, the refusal, or the failure with its cause and what happens next.</summary>
    public override string ToString()
    {
        var head = $"history retention at {At:u}";
        if (Failure is not null)
            return $"{head}: {Store} could not expire old days: {Failure.GetType().Name}: {Failure.Message}. " +
                   "The next check tries again; if this repeats, check that the store is reachable.";
        if (Reference is null || OldestKept is null)
            return $"{head}: {Store} holds no record yet, so there is no stream time to count the retention from; nothing dropped";
        var reference = $"stream time {Reference.Value.ToString("u", CultureInfo.InvariantCulture)} (the newest record's event time)";
        if (Refusal is not null)
            return $"{head}: {Refusal}";
        return Dropped.Count == 0
            ? $"{head}: {reference}; no day before {Day(OldestKept.Value)} held rows"
            : $"{head}: {reference}; dropped {Dropped.Sum(d => d.Rows)} rows in {Dropped.Count} day(s) before {Day(OldestKept.Value)}: " +
              string.Join(", ", Dropped);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
