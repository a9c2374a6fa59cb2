namespace Pipeline.Service.Bench.Scaling;

/// <summary>What one <c>pipeline bench scaling</c> invocation measures, from its command-line options.</summary>
/// <param name="Records">Raw generator records written into each configuration's fresh diamond.</param>
/// <param name="Runs">Runs of every configuration; the table shows medians.</param>
/// <param name="Report">The Markdown file the report is written to, or null for none.</param>
internal sealed record ScalingBenchOptions(int Records, int Runs, string? Report)
{
    /// <summary>The configurations measured, in order: more use cases on one node, then the most work on two nodes.</summary>
    public static readonly IReadOnlyList<ScalingConfiguration> Configurations =
        [new(UseCases: 1, Nodes: 1), new(UseCases: 2, Nodes: 1), new(UseCases: 4, Nodes: 1), new(UseCases: 4, Nodes: 2)];

    /// <summary>The error a user gets for impossible option values, or null when they are usable.</summary>
    public string? Problem() =>
        Records < 1 ? "--records must be at least 1."
        : Runs < 1 ? "--runs must be at least 1."
        : null;
}

/// <summary>One measured configuration: the first <paramref name="UseCases"/> reference use cases on <paramref name="Nodes"/> node processes.</summary>
internal sealed record ScalingConfiguration(int UseCases, int Nodes)
{
    public override string ToString() => $"{UseCases} use case{(UseCases == 1 ? "" : "s")}, {Nodes} node{(Nodes == 1 ? "" : "s")}";
}
