using System.Collections.Immutable;

namespace Pipeline.Core.UseCases;

/// <summary>
/// Everything one use case variant remembers about one customer: the use case's own state and the
/// transactions it has applied within the history window (for idempotent replays). This is what a
/// per-customer entity keeps; it is immutable, so every step yields a new memory.
/// </summary>
/// <param name="State">The use case's state record (of its <see cref="IUseCase.StateType"/>).</param>
/// <param name="Applied">Applied transactions by id.</param>
/// <param name="AppliedInOrder">The same ids in the order they were applied, so the oldest can be evicted cheaply.</param>
public sealed record UseCaseMemory(
    object State,
    ImmutableDictionary<string, AppliedTransaction> Applied,
    ImmutableQueue<AppliedTransaction> AppliedInOrder)
{
    /// <summary>The memory of a customer not seen yet.</summary>
    public static UseCaseMemory Initial(object state) =>
        new(state, ImmutableDictionary<string, AppliedTransaction>.Empty, ImmutableQueue<AppliedTransaction>.Empty);

    /// <summary>Records an applied transaction and forgets those that left the history window.</summary>
    internal UseCaseMemory Remember(object newState, AppliedTransaction applied, DateTimeOffset historyStart)
    {
        var byId = Applied.Add(applied.TransactionId, applied);
        var inOrder = AppliedInOrder.Enqueue(applied);
        while (!inOrder.IsEmpty && inOrder.Peek().Timestamp < historyStart)
        {
            byId = byId.Remove(inOrder.Peek().TransactionId);
            inOrder = inOrder.Dequeue();
        }
        return new UseCaseMemory(newState, byId, inOrder);
    }
}
