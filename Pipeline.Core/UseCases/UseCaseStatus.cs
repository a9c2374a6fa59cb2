using Pipeline.Core.Hosting;

namespace Pipeline.Core.UseCases;

/// <summary>What the admin API shows of one use case.</summary>
public sealed record UseCaseStatus(string Key, string Name, IReadOnlyList<string> Variants, StreamState State, int Restarts, string? LastFailure, long Lag);
