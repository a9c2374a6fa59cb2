namespace Pipeline.Service.Bench.Isolation;

/// <summary>What one <c>pipeline bench isolation</c> invocation measures, from its command-line options.</summary>
/// <param name="Records">Raw generator records each run's diamond is loaded with.</param>
/// <param name="Runs">Runs, each solo then mixed on a fresh diamond; the table shows medians.</param>
/// <param name="Report">The Markdown file the report is written to, or null for none.</param>
internal sealed record IsolationBenchOptions(int Records, int Runs, string? Report)
{
    /// <summary>How long the slow use case blocks per record.</summary>
    public static readonly TimeSpan SlowDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>The failing use case throws on about one record in this many.</summary>
    public const int FailOneIn = 10;

    /// <summary>Largest drop of a use case's throughput next to the slow and failing ones that counts as isolated.</summary>
    public const double AllowedDrop = 0.10;

    /// <summary>The error a user gets for impossible option values, or null when they are usable.</summary>
    public string? Problem() =>
        Records < 1 ? "--records must be at least 1."
        : Runs < 1 ? "--runs must be at least 1."
        : null;
}
