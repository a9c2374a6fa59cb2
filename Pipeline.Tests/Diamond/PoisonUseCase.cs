using Pipeline.Core.Configuration;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Tests.Diamond;

/// <summary>A use case with a bug: its Evaluate throws on every transaction of one customer.</summary>
internal sealed class PoisonUseCase(string poisonedCustomer) : UseCase<NoState, NoState>
{
    public override string Name => "Poison";

    public override NoState InitialState => NoState.Instance;

    public override NoState ReadSettings(ConfigSection section) => NoState.Instance;

    public override Evaluation<NoState> Evaluate(NoState state, CardTransaction transaction, NoState settings, UseCaseContext context) =>
        transaction.CustomerId == poisonedCustomer
            ? throw new InvalidOperationException($"cannot handle customer {transaction.CustomerId}")
            : Evaluation.Quiet(state);

    public static ConfiguredUseCase Configured(string poisonedCustomer) => new(new PoisonUseCase(poisonedCustomer), NoState.Instance, TimeSpan.FromDays(60));
}
