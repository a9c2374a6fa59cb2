namespace Pipeline.Service.Bench.Scaling;

/// <summary>One configuration's drain of the backlog.</summary>
/// <param name="Cpu">CPU time of every process involved (this one, with the embedded broker and the feeder, and the second node's).</param>
/// <param name="Problem">Why the counts cannot be trusted, or null.</param>
internal sealed record ScalingRun(int Run, ScalingConfiguration Configuration, long Records, long Feedback, long Notifications, TimeSpan Elapsed, TimeSpan Cpu, string? Problem)
{
    public double PerSecond => Records / Elapsed.TotalSeconds;

    public double CpuMillisecondsPerThousand => Cpu.TotalMilliseconds * 1000 / Records;
}
