using Pipeline.Core.Configuration;

namespace Pipeline.Core.Upstream;

/// <summary>What raw input records may look like, from <c>pipeline.upstream</c>.</summary>
/// <param name="MaxRecordBytes">Larger records are rejected as oversized without being parsed.</param>
/// <param name="MaxFieldLength">Longest accepted text field, in characters.</param>
/// <param name="MaxJsonDepth">Deepest accepted JSON nesting.</param>
/// <param name="MaxAmountMinor">Largest accepted amount or tip, in minor units.</param>
/// <param name="MaxFutureSkew">How far ahead of the local clock a timestamp may be.</param>
/// <param name="MaxEventAge">How far behind the stream time a timestamp may be (by default the store's retention).</param>
public sealed record UpstreamLimits(int MaxRecordBytes, int MaxFieldLength, int MaxJsonDepth, long MaxAmountMinor, TimeSpan MaxFutureSkew, TimeSpan MaxEventAge)
{
    /// <summary>The value of <c>max-event-age</c> that stands for the store's retention.</summary>
    public const string RetentionAge = "retention";

    /// <summary>Reads the limits; <paramref name="storeRetention"/> is what <c>max-event-age = "retention"</c> means.</summary>
    public static UpstreamLimits Create(ConfigSection section, TimeSpan storeRetention)
    {
        var maxAmount = section.GetLong("max-amount-minor");
        if (maxAmount <= 0)
            throw new ConfigurationError($"Setting '{section.Path}.max-amount-minor' = {maxAmount} must be positive.");
        return new UpstreamLimits(
            section.GetInt("max-record-bytes", 2, 100 * 1024 * 1024),
            section.GetInt("max-field-length", 1, 1_000_000),
            section.GetInt("max-json-depth", 1, 256),
            maxAmount,
            section.GetDuration("max-future-skew"),
            ReadMaxEventAge(section, storeRetention));
    }

    private static TimeSpan ReadMaxEventAge(ConfigSection section, TimeSpan storeRetention)
    {
        if (section.GetString("max-event-age") == RetentionAge)
            return storeRetention;
        var age = section.GetDuration("max-event-age");
        if (age <= TimeSpan.Zero)
            throw new ConfigurationError(
                $"Setting '{section.Path}.max-event-age' = {age} must be positive, or \"{RetentionAge}\" for the store's retention.");
        return age;
    }
}
