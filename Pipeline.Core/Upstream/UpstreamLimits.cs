using Pipeline.Core.Configuration;

namespace Pipeline.Core.Upstream;

/// <summary>What raw input records may look like, from <c>pipeline.upstream</c>.</summary>
/// <param name="MaxRecordBytes">Larger records are rejected as oversized without being parsed.</param>
/// <param name="MaxFieldLength">Longest accepted text field, in characters.</param>
/// <param name="MaxJsonDepth">Deepest accepted JSON nesting.</param>
/// <param name="MaxAmountMinor">Largest accepted amount or tip, in minor units.</param>
/// <param name="MaxFutureSkew">How far ahead of the local clock a timestamp may be.</param>
public sealed record UpstreamLimits(int MaxRecordBytes, int MaxFieldLength, int MaxJsonDepth, long MaxAmountMinor, TimeSpan MaxFutureSkew)
{
    public static UpstreamLimits Create(ConfigSection section)
    {
        var maxAmount = section.GetLong("max-amount-minor");
        if (maxAmount <= 0)
            throw new ConfigurationError($"Setting '{section.Path}.max-amount-minor' = {maxAmount} must be positive.");
        return new UpstreamLimits(
            section.GetInt("max-record-bytes", 2, 100 * 1024 * 1024),
            section.GetInt("max-field-length", 1, 1_000_000),
            section.GetInt("max-json-depth", 1, 256),
            maxAmount,
            section.GetDuration("max-future-skew"));
    }
}
