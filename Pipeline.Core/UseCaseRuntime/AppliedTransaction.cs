namespace Pipeline.Core.UseCaseRuntime;

/// <summary>A transaction a use case has already applied to a customer's state, with what it reported then (null: nothing).</summary>
public readonly record struct AppliedTransaction(string TransactionId, DateTimeOffset Timestamp, string? Finding);
