using Pipeline.Core.Configuration;

namespace Pipeline.Core.Trial;

/// <summary>How a trial checks and reports (<c>pipeline.try</c>).</summary>
/// <param name="RebuildEvery">Besides every finding, the rebuild check compares at every this-many-th record.</param>
/// <param name="SampleMessages">How many messages (and false positives) each variant shows.</param>
/// <param name="GroundTruth">Whether the records carry the generator's ground truth (false for records read from a file).</param>
public sealed record TrialOptions(int RebuildEvery, int SampleMessages, bool GroundTruth)
{
    public static TrialOptions Create(ConfigSection section, bool groundTruth) => new(
        section.GetInt("rebuild-every", 1, 1_000_000),
        section.GetInt("sample-messages", 0, 1_000),
        groundTruth);
}
