using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.Service.Bench.Isolation;

/// <summary>
/// A use case that breaks the purity rule on purpose: it blocks its thread for <see cref="SlowSettings.Delay"/> on every
/// record, as a slow model call or remote lookup would. It reports nothing.
/// </summary>
internal sealed class SlowUseCase : UseCase<NoState, SlowSettings>
{
    public const string Key = "slow";

    public override string Name => "Slow";

    public override NoState InitialState => NoState.Instance;

    public override SlowSettings ReadSettings(ConfigSection section) => new(section.GetDuration("delay"));

    public override Evaluation<NoState> Evaluate(NoState state, CardTransaction transaction, SlowSettings settings, UseCaseContext context)
    {
        Thread.Sleep(settings.Delay);
        return Evaluation.Quiet(state);
    }
}

/// <param name="Delay">How long Evaluate blocks per record.</param>
internal sealed record SlowSettings(TimeSpan Delay);
