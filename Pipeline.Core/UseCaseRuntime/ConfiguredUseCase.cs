using Pipeline.Core.UseCases;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// A use case variant bound to its settings: the unit a host runs. <see cref="Apply"/> is idempotent: a transaction
/// already applied (same id, e.g. replayed after a crash) leaves the memory unchanged and yields the same feedback as
/// the first time. A transaction older than the customer's window (its newest applied event time less the history) is
/// not evaluated: the memory has forgotten whether it was applied, and evaluating it against a state of later
/// transactions would report what an uninterrupted run never did (a replay from far back, e.g. after a rebalance).
/// </summary>
public sealed class ConfiguredUseCase
{
    public ConfiguredUseCase(IUseCase useCase, object settings, TimeSpan history)
    {
        UseCase = useCase;
        Settings = settings;
        History = history;
    }

    public IUseCase UseCase { get; }

    /// <summary>The use case's settings record.</summary>
    public object Settings { get; }

    /// <summary>How far back state looks (<c>pipeline.use-cases.history</c>, or the use case's own <c>history</c>).</summary>
    public TimeSpan History { get; }

    public string Name => UseCase.Name;

    public string Variant => UseCase.Variant;

    /// <summary>The memory of a customer not seen yet.</summary>
    public UseCaseMemory NewMemory() => UseCaseMemory.Initial(UseCase.InitialState);

    /// <summary>
    /// Applies one transaction to the memory of its customer, in place, and returns the feedback to publish, if any.
    /// The use case's pure Evaluate decides; when it throws, the memory stays as it was.
    /// </summary>
    public UseCaseFeedback? Apply(UseCaseMemory memory, CardTransaction transaction, CustomerSettings customer)
    {
        if (memory.TryGetApplied(transaction.TransactionId, out var applied))
            return FeedbackFor(transaction, applied.Finding);
        if (memory.NewestApplied is { } newest && transaction.Timestamp < newest - History)
        {
            EntityMetrics.BeforeWindow.WithLabels(Name, Variant).Inc();
            return null;
        }

        var context = new UseCaseContext(customer, History);
        var evaluation = UseCase.Evaluate(memory.State, transaction, Settings, context);
        memory.Remember(
            evaluation.State,
            new AppliedTransaction(transaction.TransactionId, transaction.Timestamp, evaluation.Finding),
            context.HistoryStart(transaction));
        return FeedbackFor(transaction, evaluation.Finding);
    }

    private UseCaseFeedback? FeedbackFor(CardTransaction transaction, string? finding) => finding is null
        ? null
        : new UseCaseFeedback(
            FeedbackIds.For(Name, Variant, transaction.TransactionId),
            Name,
            Variant,
            transaction.CustomerId,
            transaction.TransactionId,
            finding,
            transaction.Timestamp);

    public override string ToString() => $"{Name}/{Variant}";
}
