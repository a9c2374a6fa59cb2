using Pipeline.Core.Configuration;

namespace Pipeline.Core.UseCases;

/// <summary>
/// Base class of every use case: a name, the per-customer state it keeps (an immutable record), its
/// settings (an immutable record read from <c>pipeline.use-cases.&lt;config-key&gt;</c>) and one pure function
/// from (state, transaction, settings) to (new state, optional finding).
/// </summary>
/// <remarks>
/// <see cref="Evaluate"/> must be pure: no I/O, clock, randomness, Akka, Kafka or threads. The host
/// guarantees per-customer order, skips transactions already applied (replays), and builds the feedback
/// with its deterministic id. State should keep only what the rule needs and drop entries older than
/// <see cref="UseCaseContext.HistoryStart"/>.
/// </remarks>
public abstract class UseCase<TState, TSettings> : IUseCase
    where TState : class
    where TSettings : class
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public virtual string Variant => "A";

    /// <inheritdoc />
    public string ConfigKey => UseCaseNames.ToConfigKey(Name);

    /// <inheritdoc />
    public virtual string? TargetBehaviour => null;

    /// <inheritdoc cref="IUseCase.InitialState" />
    public abstract TState InitialState { get; }

    /// <inheritdoc cref="IUseCase.ReadSettings" />
    public abstract TSettings ReadSettings(ConfigSection section);

    /// <summary>
    /// The shortest history the rule decides correctly with; starting fails with a clear message when the configured
    /// history is shorter. Override when the rule looks back further than most (e.g. several monthly charges).
    /// </summary>
    public virtual TimeSpan HistoryNeeded(TSettings settings) => TimeSpan.Zero;

    /// <summary>Evaluates one transaction of a customer against that customer's state.</summary>
    public abstract Evaluation<TState> Evaluate(TState state, CardTransaction transaction, TSettings settings, UseCaseContext context);

    Type IUseCase.StateType => typeof(TState);

    object IUseCase.InitialState => InitialState;

    object IUseCase.ReadSettings(ConfigSection section) => ReadSettings(section);

    TimeSpan IUseCase.HistoryNeeded(object settings) => HistoryNeeded((TSettings)settings);

    Evaluation<object> IUseCase.Evaluate(object state, CardTransaction transaction, object settings, UseCaseContext context)
    {
        var result = Evaluate((TState)state, transaction, (TSettings)settings, context);
        return new Evaluation<object>(result.State, result.Finding);
    }
}
