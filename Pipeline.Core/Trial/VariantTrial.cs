using System.Diagnostics;
using Pipeline.Core.Generator;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.Trial;

/// <summary>
/// Runs one use case variant over a trial's records as a host would (one long-lived memory per customer) and checks at
/// the rebuild points that a memory rebuilt from the customer's history window, as an activating entity rebuilds it,
/// decides the transaction exactly like the long-lived one.
/// </summary>
internal sealed class VariantTrial(ConfiguredUseCase variant, TrialOptions options)
{
    private readonly CustomerFold _live = new(variant);
    private readonly List<long> _evaluateTicks = [];
    private readonly List<UseCaseFeedback> _sample = [];
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly List<UseCaseFeedback> _reportedInOrder = [];
    private int _records, _errors, _compared, _comparedWithFinding, _mismatches;
    private string? _firstError;
    private RebuildMismatch? _firstMismatch;

    /// <summary>Evaluates <paramref name="transaction"/>; <paramref name="history"/> is its customer's records so far, this one included.</summary>
    public void Evaluate(CardTransaction transaction, IReadOnlyList<CardTransaction> history, bool rebuildPoint)
    {
        var customer = CustomerSettings.None(transaction.CustomerId);
        _records++;
        var started = Stopwatch.GetTimestamp();
        var feedback = ApplyLive(transaction, customer);
        _evaluateTicks.Add(Stopwatch.GetTimestamp() - started);
        if (feedback is not null && _reported.Add(feedback.TransactionId))
        {
            _reportedInOrder.Add(feedback);
            if (_sample.Count < options.SampleMessages)
                _sample.Add(feedback);
        }
        if (rebuildPoint || feedback is not null)
            CompareWithRebuilt(transaction, history, customer, feedback);
    }

    private UseCaseFeedback? ApplyLive(CardTransaction transaction, CustomerSettings customer)
    {
        try
        {
            return _live.Apply(transaction, customer);
        }
        catch (Exception e)
        {
            _errors++;
            _firstError ??= $"{transaction.TransactionId}: {e.GetType().FullName}: {e.Message}";
            return null;
        }
    }

    private void CompareWithRebuilt(CardTransaction transaction, IReadOnlyList<CardTransaction> history, CustomerSettings customer, UseCaseFeedback? feedback)
    {
        // As the entity does: one range read from the activating transaction back one window (the store already holds
        // the transaction itself, in time order), folded, then the transaction.
        var from = transaction.Timestamp - variant.History;
        var window = history.Where(t => t.Timestamp >= from && t.Timestamp <= transaction.Timestamp).OrderBy(t => t.Timestamp);
        var rebuilt = CustomerFold.Rebuild(variant, window, customer);
        UseCaseFeedback? rebuiltFeedback;
        try
        {
            rebuiltFeedback = variant.Apply(rebuilt, transaction, customer);
        }
        catch (Exception)
        {
            rebuiltFeedback = null;
        }
        _compared++;
        if (feedback is not null || rebuiltFeedback is not null)
            _comparedWithFinding++;
        if (feedback == rebuiltFeedback)
            return;
        _mismatches++;
        _firstMismatch ??= new RebuildMismatch(transaction.TransactionId, transaction.CustomerId, transaction.Timestamp, feedback?.Message, rebuiltFeedback?.Message);
    }

    public VariantReport Report(IReadOnlyDictionary<string, string> truth)
    {
        var quality = Quality(truth);
        var falsePositives = quality.Unmeasured is null
            ? _reportedInOrder.Where(f => !truth.TryGetValue(f.TransactionId, out var b) || b != quality.Behaviour).Take(options.SampleMessages).ToList()
            : [];
        _evaluateTicks.Sort();
        return new VariantReport(variant.Name, variant.Variant, _records, _reported.Count, _sample, falsePositives, _errors, _firstError, quality,
            Percentile(0.50), Percentile(0.99), _compared, _comparedWithFinding, _mismatches, _firstMismatch);
    }

    private TrialQuality Quality(IReadOnlyDictionary<string, string> truth)
    {
        var target = variant.UseCase.TargetBehaviour;
        if (target is null)
            return TrialQuality.NotMeasured(null, _reported.Count,
                "the use case declares no target behaviour (TargetBehaviour is null), so there is no ground truth to compare with");
        if (!InjectedBehaviours.IsInjected(target))
            return TrialQuality.NotMeasured(target, _reported.Count,
                $"the generator injects no '{target}' (it injects {string.Join(", ", InjectedBehaviours.All)}); " +
                "judge the findings by their messages, or add an injection (docs/use-cases.md, 'Adding an injection to the generator')");
        if (!options.GroundTruth)
            return TrialQuality.NotMeasured(target, _reported.Count, "records read from a file carry no ground truth");
        var injected = truth.Count(t => t.Value == target);
        var truePositives = _reported.Count(id => truth.TryGetValue(id, out var behaviour) && behaviour == target);
        return new TrialQuality(target, injected, _reported.Count, truePositives, null);
    }

    private TimeSpan Percentile(double quantile)
    {
        if (_evaluateTicks.Count == 0)
            return TimeSpan.Zero;
        var index = Math.Min(_evaluateTicks.Count - 1, (int)Math.Ceiling(quantile * _evaluateTicks.Count) - 1);
        return Stopwatch.GetElapsedTime(0, _evaluateTicks[Math.Max(0, index)]);
    }
}
