namespace Pipeline.Service.Bench.Isolation;

/// <summary>
/// One use case's throughput in one phase: its <see cref="Total"/> records over the time from the last poll that saw it
/// idle until it had them all (start-up and the consumer group's join are left out).
/// </summary>
internal sealed record UseCaseRate(string Key, long Total, TimeSpan Elapsed)
{
    public double PerSecond => Total / Elapsed.TotalSeconds;
}
