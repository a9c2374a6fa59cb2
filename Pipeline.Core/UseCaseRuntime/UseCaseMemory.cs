using Pipeline.Core.UseCases;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// Everything one use case variant remembers about one customer: the use case's own (immutable) state and the
/// transactions it has applied within the history window, for idempotent replays. One customer's entity owns it and
/// <see cref="ConfiguredUseCase.Apply"/> updates it in place: the applied ids were an immutable map and queue, rebuilt
/// along their path on every record, which made them the largest allocation per record and most of the entities'
/// live data.
/// </summary>
public sealed class UseCaseMemory
{
    private readonly Dictionary<string, AppliedTransaction> _applied = new(StringComparer.Ordinal);
    private readonly Queue<AppliedTransaction> _appliedInOrder = new();

    private UseCaseMemory(object state) => State = state;

    /// <summary>The use case's state record (of its <see cref="IUseCase.StateType"/>).</summary>
    public object State { get; private set; }

    /// <summary>How many transactions of the history window have been applied.</summary>
    public int AppliedCount => _applied.Count;

    /// <summary>The latest event time applied: the customer's window ends here.</summary>
    public DateTimeOffset? NewestApplied { get; private set; }

    /// <summary>The oldest applied transaction still remembered, if any.</summary>
    public AppliedTransaction? OldestApplied => _appliedInOrder.TryPeek(out var oldest) ? oldest : null;

    /// <summary>The memory of a customer not seen yet.</summary>
    public static UseCaseMemory Initial(object state) => new(state);

    /// <summary>The transaction with this id, if it has been applied within the history window.</summary>
    public bool TryGetApplied(string transactionId, out AppliedTransaction applied) =>
        _applied.TryGetValue(transactionId, out applied);

    /// <summary>Records an applied transaction and its new state, and forgets those that left the history window.</summary>
    internal void Remember(object newState, AppliedTransaction applied, DateTimeOffset historyStart)
    {
        State = newState;
        if (NewestApplied is not { } newest || applied.Timestamp > newest)
            NewestApplied = applied.Timestamp;
        _applied.Add(applied.TransactionId, applied);
        _appliedInOrder.Enqueue(applied);
        while (_appliedInOrder.TryPeek(out var oldest) && oldest.Timestamp < historyStart)
        {
            _applied.Remove(oldest.TransactionId);
            _appliedInOrder.Dequeue();
        }
    }
}
