namespace Pipeline.Service.Bench.Diamond;

/// <summary>What one <c>pipeline bench pipeline</c> invocation measures, from its command-line options.</summary>
/// <param name="Records">Raw records pre-loaded before each throughput run.</param>
/// <param name="Runs">Throughput runs; the table shows the median.</param>
/// <param name="Rates">Input rates (records/s) of latency mode.</param>
/// <param name="Duration">Measured time of latency mode at each rate (after <see cref="WarmUp"/>); zero skips it.</param>
/// <param name="Report">The Markdown file the report is written to, or null for none.</param>
/// <param name="AllocationTypes">How many of the most allocated types each drain prints (sampled allocation ticks); 0 samples none.</param>
internal sealed record PipelineBenchOptions(int Records, int Runs, IReadOnlyList<int> Rates, TimeSpan Duration, string? Report, int AllocationTypes = 0)
{
    /// <summary>Paced records fed before latency recording starts: group joins and the first activation of every customer's entities.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    /// <summary>The error a user gets for impossible option values, or null when they are usable.</summary>
    public string? Problem() =>
        Records < 1 ? "--records must be at least 1."
        : Runs < 1 ? "--runs must be at least 1."
        : Rates.Any(r => r < 1) ? "--rates must all be at least 1 (records per second)."
        : Duration < TimeSpan.Zero ? "--seconds must be 0 (skip latency mode) or more."
        : AllocationTypes < 0 ? "--allocation-types must be 0 (sample none) or more."
        : null;
}
