using Pipeline.Core.Configuration;
using Pipeline.Core.Storage;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>Whether the history store keeps enough for the use cases whose entities rebuild from it.</summary>
public static class StoreRetentionCheck
{
    /// <summary>
    /// Fails when a use case looks further back than the store keeps: entities rebuilt from a shorter history would decide
    /// differently from long-lived ones.
    /// </summary>
    public static void EnsureRetains(this HistoryStoreSettings store, IEnumerable<ConfiguredUseCase> useCases)
    {
        var longest = useCases.MaxBy(u => u.History);
        if (longest is not null && longest.History > store.Retention)
            throw new ConfigurationError(
                $"Use case {longest.Name}/{longest.Variant} looks back {longest.History.TotalDays:0.#} days, but 'pipeline.store.retention' keeps " +
                $"only {store.Retention.TotalDays:0.#} days, so its state could not be rebuilt from the store. Raise the retention to at least its history.");
    }
}
