using Pipeline.Core.UseCases;

namespace Pipeline.Core.Trial;

/// <summary>One transaction a trial feeds the use case, with the behaviour the generator injected into it (null: none, or unknown).</summary>
public sealed record TrialRecord(CardTransaction Transaction, string? Behaviour);
