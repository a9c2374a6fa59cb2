namespace Pipeline.Core.Trial;

/// <summary>
/// A variant's findings against the generator's ground truth for the behaviour it targets; <see cref="Unmeasured"/> says
/// plainly why there are no figures when there are none.
/// </summary>
public sealed record TrialQuality(string? Behaviour, int Injected, int Reported, int TruePositives, string? Unmeasured)
{
    /// <summary>The share of findings that are injected records; null when unmeasured or nothing was reported.</summary>
    public double? Precision => Unmeasured is null && Reported > 0 ? TruePositives / (double)Reported : null;

    /// <summary>The share of injected records that were found; null when unmeasured or nothing was injected.</summary>
    public double? Recall => Unmeasured is null && Injected > 0 ? TruePositives / (double)Injected : null;

    public static TrialQuality NotMeasured(string? behaviour, int reported, string why) => new(behaviour, 0, reported, 0, why);
}
