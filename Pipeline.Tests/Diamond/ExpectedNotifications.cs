using Pipeline.Core.UseCases;

namespace Pipeline.Tests.Diamond;

/// <summary>
/// What the diamond must deliver for a sequence of transactions, computed without it: every variant's pure function
/// folded per customer in input order (an uninterrupted run), then the A/B post-filter.
/// </summary>
internal static class ExpectedNotifications
{
    public static Dictionary<string, UseCaseFeedback> Compute(
        IEnumerable<CardTransaction> transactions, IReadOnlyList<ConfiguredUseCase> useCases, Experiments experiments,
        Func<string, CustomerSettings>? customers = null)
    {
        customers ??= CustomerSettings.None;
        var memories = new Dictionary<(ConfiguredUseCase, string), UseCaseMemory>();
        var expected = new Dictionary<string, UseCaseFeedback>();
        foreach (var transaction in transactions)
        {
            foreach (var useCase in useCases)
            {
                var key = (useCase, transaction.CustomerId);
                if (!memories.TryGetValue(key, out var memory))
                    memories[key] = memory = useCase.NewMemory();
                if (useCase.Apply(memory, transaction, customers(transaction.CustomerId)) is { } feedback && experiments.AssignedVariant(useCase.UseCase.ConfigKey, transaction.CustomerId) == feedback.Variant)
                    expected[feedback.FeedbackId] = feedback;
            }
        }
        return expected;
    }
}
