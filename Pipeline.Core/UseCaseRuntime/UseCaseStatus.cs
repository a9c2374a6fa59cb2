using Pipeline.Core.Hosting;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>What the admin API shows of one use case.</summary>
/// <param name="CpuSeconds">CPU time spent evaluating it on this node (<c>pipeline_use_case_cpu_seconds_total</c>).</param>
/// <param name="MemoryBytes">Resident memory of its Python workers (<c>pipeline_use_case_memory_bytes</c>); 0 for a C# use case.</param>
/// <param name="Reloadable">Whether its code can be reloaded while it runs (a Python use case).</param>
/// <param name="Findings">Findings since the node started, per variant.</param>
/// <param name="LatestFindings">The latest findings, newest last.</param>
public sealed record UseCaseStatus(
    string Key, string Name, IReadOnlyList<string> Variants, StreamState State, int Restarts, string? LastFailure, long Lag, double CpuSeconds, long MemoryBytes, bool Reloadable,
    IReadOnlyDictionary<string, long> Findings, IReadOnlyList<UseCaseFeedback> LatestFindings);
