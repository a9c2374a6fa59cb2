using Pipeline.Core.Configuration;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Tests.Diamond;

/// <summary>
/// A use case with a hang: its Evaluate never returns on one transaction (it blocks until the test releases it at the end, so
/// no thread outlives the test); every ask for that record times out. It reports nothing.
/// </summary>
internal sealed class SilentUseCase(string silentTransactionId, ManualResetEventSlim release) : UseCase<NoState, NoState>
{
    public const string Key = "silent";

    public override string Name => "Silent";

    public override NoState InitialState => NoState.Instance;

    public override NoState ReadSettings(ConfigSection section) => NoState.Instance;

    public override Evaluation<NoState> Evaluate(NoState state, CardTransaction transaction, NoState settings, UseCaseContext context)
    {
        if (transaction.TransactionId == silentTransactionId)
            release.Wait();
        return Evaluation.Quiet(state);
    }

    public static ConfiguredUseCase Configured(string silentTransactionId, ManualResetEventSlim release) =>
        new(new SilentUseCase(silentTransactionId, release), NoState.Instance, TimeSpan.FromDays(60));
}
