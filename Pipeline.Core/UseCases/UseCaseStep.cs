namespace Pipeline.Core.UseCases;

/// <summary>The result of applying one transaction: the customer's new memory and the feedback to publish, if any.</summary>
public sealed record UseCaseStep(UseCaseMemory Memory, UseCaseFeedback? Feedback);
