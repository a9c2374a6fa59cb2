using System.Diagnostics;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.Trial;

/// <summary>
/// <c>pipeline try</c> without the command line: runs every variant of one use case over records in process (no Kafka,
/// no store) and reports findings, quality against the ground truth, evaluate cost and the rebuild check.
/// </summary>
public static class UseCaseTrial
{
    /// <summary>Runs <paramref name="variants"/> (one use case's, configured) over <paramref name="records"/>, in their order.</summary>
    public static TrialReport Run(string useCaseKey, IReadOnlyList<ConfiguredUseCase> variants, IEnumerable<TrialRecord> records, TrialOptions options)
    {
        var started = Stopwatch.GetTimestamp();
        var trials = variants.Select(v => new VariantTrial(v, options)).ToList();
        var histories = new Dictionary<string, List<CardTransaction>>(StringComparer.Ordinal);
        var truth = new Dictionary<string, string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var (transaction, behaviour) in records)
        {
            if (behaviour is not null)
                truth[transaction.TransactionId] = behaviour;
            if (!histories.TryGetValue(transaction.CustomerId, out var history))
                histories[transaction.CustomerId] = history = [];
            history.Add(transaction);
            var rebuildPoint = index++ % options.RebuildEvery == 0;
            foreach (var trial in trials)
                trial.Evaluate(transaction, history, rebuildPoint);
        }
        return new TrialReport(useCaseKey, trials.Select(t => t.Report(truth)).ToList(), Stopwatch.GetElapsedTime(started));
    }
}
