using Pipeline.Core.Configuration;

namespace Pipeline.Core.UseCases;

/// <summary>
/// The untyped view of a use case that hosts and the registry work with. Use cases themselves derive
/// from <see cref="UseCase{TState,TSettings}"/>.
/// </summary>
public interface IUseCase
{
    /// <summary>The use case's name in feedback and metrics, e.g. <c>DuplicateCharge</c>.</summary>
    string Name { get; }

    /// <summary>"A" or "B": two implementations of one use case share its name and differ in variant.</summary>
    string Variant { get; }

    /// <summary>The key of its settings block under <c>pipeline.use-cases</c> and in the enabled list, e.g. <c>duplicate-charge</c>.</summary>
    string ConfigKey { get; }

    /// <summary>The generator behaviour the use case targets (its kebab key, e.g. <c>duplicate-charge</c>), or null when it targets none the generator injects.</summary>
    string? TargetBehaviour { get; }

    /// <summary>The type of the per-customer state.</summary>
    Type StateType { get; }

    /// <summary>The state of a customer the use case has not seen yet.</summary>
    object InitialState { get; }

    /// <summary>Reads the use case's settings record from its HOCON block.</summary>
    object ReadSettings(ConfigSection section);

    /// <summary>The shortest history the use case decides correctly with, given its settings.</summary>
    TimeSpan HistoryNeeded(object settings);

    /// <summary>Evaluates one transaction against the customer's state.</summary>
    Evaluation<object> Evaluate(object state, CardTransaction transaction, object settings, UseCaseContext context);
}
