using Pipeline.Core.UseCases;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// One use case variant's state per customer, as a host keeps it: each customer's transactions folded in order into its
/// own <see cref="UseCaseMemory"/>. The one place that fold is written, for the entity's rebuild, <c>pipeline try</c> and
/// the tests that run a use case without the service.
/// </summary>
public sealed class CustomerFold(ConfiguredUseCase variant)
{
    private readonly Dictionary<string, UseCaseMemory> _memories = new(StringComparer.Ordinal);

    public ConfiguredUseCase Variant { get; } = variant;

    /// <summary>How many customers have a memory.</summary>
    public int Customers => _memories.Count;

    /// <summary>The customer's memory, a new one when the customer was not seen yet.</summary>
    public UseCaseMemory MemoryOf(string customerId)
    {
        if (!_memories.TryGetValue(customerId, out var memory))
            _memories[customerId] = memory = Variant.NewMemory();
        return memory;
    }

    /// <summary>Applies the transaction to its customer's memory and returns the feedback, if any; a throwing evaluate throws here.</summary>
    public UseCaseFeedback? Apply(CardTransaction transaction, CustomerSettings customer) =>
        Variant.Apply(MemoryOf(transaction.CustomerId), transaction, customer);

    /// <summary>
    /// The memory an uninterrupted run would have after these transactions (one customer's, oldest first), as an entity
    /// rebuilds it on activation. A transaction whose evaluate throws is skipped: it was dead-lettered when it ran live.
    /// </summary>
    public static UseCaseMemory Rebuild(ConfiguredUseCase variant, IEnumerable<CardTransaction> transactions, CustomerSettings customer)
    {
        var memory = variant.NewMemory();
        foreach (var transaction in transactions)
        {
            try
            {
                variant.Apply(memory, transaction, customer);
            }
            catch (Exception)
            {
                // Dead-lettered when it was evaluated live; skipping it keeps the rebuilt state equal to the live one.
            }
        }
        return memory;
    }
}
