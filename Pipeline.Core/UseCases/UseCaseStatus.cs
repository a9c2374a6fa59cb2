using Pipeline.Core.Hosting;

namespace Pipeline.Core.UseCases;

/// <summary>What the admin API shows of one use case.</summary>
/// <param name="Findings">Findings since the node started, per variant.</param>
/// <param name="LatestFindings">The latest findings, newest last.</param>
public sealed record UseCaseStatus(string Key, string Name, IReadOnlyList<string> Variants, StreamState State, int Restarts, string? LastFailure, long Lag,
    IReadOnlyDictionary<string, long> Findings, IReadOnlyList<UseCaseFeedback> LatestFindings);
