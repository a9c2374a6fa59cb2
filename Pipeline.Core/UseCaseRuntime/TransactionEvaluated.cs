using Pipeline.Core.UseCases;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>What one variant made of a transaction.</summary>
/// <param name="Variant">"A" or "B".</param>
/// <param name="Feedback">Its feedback, when it reported something.</param>
/// <param name="Failure">The exception's type and message, when its Evaluate threw (the state is then unchanged).</param>
public sealed record VariantOutcome(string Variant, UseCaseFeedback? Feedback, string? Failure);

/// <summary>The entity's answer to <see cref="EvaluateTransaction"/>: one outcome per variant, in variant order.</summary>
public sealed record TransactionEvaluated(string TransactionId, IReadOnlyList<VariantOutcome> Outcomes);
