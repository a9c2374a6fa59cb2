using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.Trial;

/// <summary>What a trial found out about one use case variant.</summary>
/// <param name="Records">Transactions evaluated.</param>
/// <param name="Findings">Transactions with a finding.</param>
/// <param name="Sample">The first findings, in order.</param>
/// <param name="FalsePositives">The first findings the ground truth does not expect (empty when unmeasured).</param>
/// <param name="Errors">Evaluations that threw (live, they go to dead letters); <paramref name="FirstError"/> names the first.</param>
/// <param name="EvaluateP50">Median time of one evaluate.</param>
/// <param name="EvaluateP99">99th percentile time of one evaluate.</param>
/// <param name="RebuildsCompared">Transactions at which a rebuilt state was compared with the long-lived one.</param>
/// <param name="RebuildsWithFinding">Of those, how many had a finding (in either state).</param>
/// <param name="Mismatches">Comparisons where the two decided differently; <paramref name="FirstMismatch"/> is the first.</param>
public sealed record VariantReport(
    string Name,
    string Variant,
    int Records,
    int Findings,
    IReadOnlyList<UseCaseFeedback> Sample,
    IReadOnlyList<UseCaseFeedback> FalsePositives,
    int Errors,
    string? FirstError,
    TrialQuality Quality,
    TimeSpan EvaluateP50,
    TimeSpan EvaluateP99,
    int RebuildsCompared,
    int RebuildsWithFinding,
    int Mismatches,
    RebuildMismatch? FirstMismatch)
{
    /// <summary>The rebuild check passes when every rebuilt state decided like the long-lived one.</summary>
    public bool RebuildPassed => Mismatches == 0;
}
