namespace Pipeline.Service.Bench;

/// <summary>What one <c>pipeline bench kafka</c> invocation measures, from its command-line options.</summary>
internal sealed record KafkaBenchOptions(int Messages, int Runs, TimeSpan LatencyDuration, bool SkipStreamiz)
{
    /// <summary>Partitions of every benchmark topic.</summary>
    public const int Partitions = 8;

    /// <summary>Records per second fed in latency mode: the design's seasonal peak.</summary>
    public const int LatencyRate = 2_000;

    /// <summary>Paced records fed before latency recording starts, so group joins and connection set-up are not measured.</summary>
    public static readonly TimeSpan LatencyWarmUp = TimeSpan.FromSeconds(2);

    /// <summary>The error a user gets for impossible option values, or null when they are usable.</summary>
    public string? Problem() =>
        Messages < 1 ? "--messages must be at least 1."
        : Runs < 1 ? "--runs must be at least 1."
        : LatencyDuration < TimeSpan.Zero ? "--latency-seconds must be 0 (skip latency mode) or more."
        : null;
}
