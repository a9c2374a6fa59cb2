using Pipeline.Core.Configuration;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.UseCases;

namespace Pipeline.Tests.UseCases;

/// <summary>Runs one use case variant the way a host does: configured from HOCON, one memory per customer, in order.</summary>
internal sealed class UseCaseHarness
{
    public static readonly DateTimeOffset T0 = new(2026, 9, 1, 12, 0, 0, TimeSpan.Zero);
    private int _sequence;

    public UseCaseHarness(string name, string variant = "A", params string[] overrides)
    {
        var config = PipelineConfig.Load(null, overrides, new Dictionary<string, string>());
        UseCase = UseCaseRegistry.Discover(UseCasesAssembly.Assembly)
            .Configure(config.Section("pipeline.use-cases"))
            .Single(u => u.Name == name && u.Variant == variant);
        Memory = UseCase.NewMemory();
    }

    public ConfiguredUseCase UseCase { get; }

    public UseCaseMemory Memory { get; }

    public CustomerSettings Customer { get; set; } = CustomerSettings.None("c-000001");

    /// <summary>A transaction of the customer; ids are unique unless given.</summary>
    public CardTransaction Transaction(
        DateTimeOffset at, string merchant = "Lidl", string category = "grocery", long amountMinor = 4_210, long tipMinor = 0, string? id = null) =>
        new(id ?? $"t-{++_sequence:D8}", Customer.CustomerId, merchant, category, amountMinor, tipMinor, "EUR", at);

    /// <summary>Applies the transaction to the memory and returns the feedback, if any.</summary>
    public UseCaseFeedback? Apply(CardTransaction transaction)
    {
        return UseCase.Apply(Memory, transaction, Customer);
    }
}
