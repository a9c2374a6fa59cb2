namespace Pipeline.Core.Trial;

/// <summary>The outcome of a trial of one use case: every variant's report, and the records refused before evaluation.</summary>
public sealed record TrialReport(string UseCaseKey, IReadOnlyList<VariantReport> Variants, TimeSpan Took)
{
    /// <summary>Every variant's rebuild check passed.</summary>
    public bool Passed => Variants.All(v => v.RebuildPassed);
}
