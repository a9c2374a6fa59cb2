namespace Pipeline.Core.Storage;

/// <summary>
/// What one scheduled expiry did: at <see cref="At"/> it dropped the days before <see cref="OldestKept"/> that held
/// rows (<see cref="Dropped"/>), or it failed with <see cref="Failure"/> and the next check tries again.
/// </summary>
public sealed record RetentionRun(string Store, DateTimeOffset At, DateOnly OldestKept, IReadOnlyList<DateOnly> Dropped, Exception? Failure)
{
    /// <summary>One log line: the days dropped, or the failure with its cause and what happens next.</summary>
    public override string ToString() => Failure is not null
        ? $"history retention at {At:u}: {Store} could not drop the days before {OldestKept:yyyy-MM-dd}: " +
          $"{Failure.GetType().Name}: {Failure.Message}. The next check tries again; if this repeats, check that the store is reachable."
        : Dropped.Count == 0
            ? $"history retention at {At:u}: no day before {OldestKept:yyyy-MM-dd} held rows"
            : $"history retention at {At:u}: dropped {Dropped.Count} day(s) before {OldestKept:yyyy-MM-dd}: {string.Join(", ", Dropped.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))}";
}
