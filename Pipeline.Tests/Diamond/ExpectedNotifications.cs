using Pipeline.Core.UseCaseRuntime;
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
        var folds = useCases.Select(u => new CustomerFold(u)).ToList();
        var expected = new Dictionary<string, UseCaseFeedback>();
        foreach (var transaction in transactions)
        {
            foreach (var fold in folds)
            {
                if (fold.Apply(transaction, customers(transaction.CustomerId)) is { } feedback
                    && experiments.AssignedVariant(fold.Variant.UseCase.ConfigKey, transaction.CustomerId) == feedback.Variant)
                    expected[feedback.FeedbackId] = feedback;
            }
        }
        return expected;
    }
}
