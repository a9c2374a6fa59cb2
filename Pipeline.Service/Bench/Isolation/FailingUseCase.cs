using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.Service.Bench.Isolation;

/// <summary>
/// A use case with a bug: Evaluate throws on about one record in <see cref="FailingSettings.OneIn"/>, chosen by a stable
/// hash of the transaction id (<see cref="Fails"/>), so the records it fails on are known in advance. It reports nothing.
/// </summary>
internal sealed class FailingUseCase : UseCase<NoState, FailingSettings>
{
    public const string Key = "failing";

    public override string Name => "Failing";

    public override NoState InitialState => NoState.Instance;

    public override FailingSettings ReadSettings(ConfigSection section) => new(section.GetInt("one-in", 1, 1_000_000));

    public override Evaluation<NoState> Evaluate(NoState state, CardTransaction transaction, FailingSettings settings, UseCaseContext context) =>
        Fails(transaction.TransactionId, settings.OneIn)
            ? throw new InvalidOperationException(Message(transaction.TransactionId))
            : Evaluation.Quiet(state);

    /// <summary>Whether the use case throws on the transaction <paramref name="transactionId"/>.</summary>
    public static bool Fails(string transactionId, int oneIn)
    {
        // FNV-1a: string.GetHashCode differs between processes.
        var hash = 2166136261u;
        foreach (var c in transactionId)
            hash = unchecked((hash ^ c) * 16777619u);
        return hash % (uint)oneIn == 0;
    }

    /// <summary>The message of the exception thrown for <paramref name="transactionId"/>.</summary>
    public static string Message(string transactionId) => $"cannot evaluate transaction {transactionId}";
}

/// <param name="OneIn">About one record in this many fails.</param>
internal sealed record FailingSettings(int OneIn);
