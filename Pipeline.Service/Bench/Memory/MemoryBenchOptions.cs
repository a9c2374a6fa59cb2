namespace Pipeline.Service.Bench.Memory;

/// <summary>What one <c>pipeline bench memory</c> invocation measures, from its command-line options.</summary>
/// <param name="Backlogs">Raw records waiting before the node starts, one drain per value and run.</param>
/// <param name="Runs">Runs of every backlog; the table shows medians.</param>
/// <param name="Report">The Markdown file the report is written to, or null for none.</param>
/// <param name="NodeEnvironment">NAME=VALUE settings added to the node process's environment only (the GC's <c>DOTNET_</c> settings).</param>
internal sealed record MemoryBenchOptions(IReadOnlyList<int> Backlogs, int Runs, string? Report, IReadOnlyList<string> NodeEnvironment)
{
    /// <summary>The error a user gets for impossible option values, or null when they are usable.</summary>
    public string? Problem() =>
        Backlogs.Count == 0 || Backlogs.Any(b => b < 1) ? "--backlogs must list at least one number of records, each at least 1."
        : Runs < 1 ? "--runs must be at least 1."
        : NodeEnvironment.FirstOrDefault(e => e.IndexOf('=') < 1) is { } bad ? $"--node-env takes NAME=VALUE, e.g. DOTNET_gcServer=0; got '{bad}'."
        : NodeEnvironment.Select(e => e.Split('=', 2)[0]).GroupBy(name => name).FirstOrDefault(g => g.Count() > 1) is { } twice
            ? $"--node-env gives {twice.Key} more than once; give each variable once."
        : null;

    /// <summary>The node's extra environment variables by name.</summary>
    public IReadOnlyDictionary<string, string> NodeEnvironmentVariables =>
        NodeEnvironment.Select(e => e.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
}

/// <summary>One drain of a backlog by a node in a process of its own.</summary>
/// <param name="PeakWorkingSet">The node process's highest resident set size.</param>
/// <param name="PeakGcHeap">The highest managed heap the node reported (<c>dotnet_total_memory_bytes</c> on its /metrics).</param>
/// <param name="Elapsed">From the node's start (start-up included) until every stage committed the end of its input.</param>
/// <param name="Cpu">CPU time of the node's process over the same span.</param>
internal sealed record MemoryRun(int Run, int Backlog, long PeakWorkingSet, long PeakGcHeap, TimeSpan Elapsed, TimeSpan Cpu, string? Problem)
{
    public double PerSecond => Backlog / Elapsed.TotalSeconds;

    public double CpuMillisecondsPerThousand => Cpu.TotalMilliseconds * 1000 / Backlog;
}
