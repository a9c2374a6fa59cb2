namespace Pipeline.Service.Bench.Isolation;

/// <summary>
/// One use case's throughput in one phase: records it finished from the moment it was first seen working until it had
/// all <see cref="Total"/>, over that time (start-up and the consumer group's join are left out).
/// </summary>
internal sealed record UseCaseRate(string Key, long Total, long AtFirstSight, TimeSpan Elapsed)
{
    public double PerSecond => (Total - AtFirstSight) / Elapsed.TotalSeconds;
}
