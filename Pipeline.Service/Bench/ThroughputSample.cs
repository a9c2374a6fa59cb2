namespace Pipeline.Service.Bench;

/// <summary>One variant's measurement in one run; <see cref="Problem"/> says why its counts did not check out.</summary>
internal sealed record ThroughputSample(string VariantId, int Run, long Messages, TimeSpan Elapsed, string? Problem)
{
    public double PerSecond => Messages / Elapsed.TotalSeconds;

    public bool Verified => Problem is null;
}
