namespace Pipeline.Core.Trial;

/// <summary>A transaction that a state rebuilt from the history window decided differently from the long-lived state.</summary>
/// <param name="LongLived">The message of the state that saw every record before it (null: no finding).</param>
/// <param name="Rebuilt">The message of the state rebuilt from the window (null: no finding).</param>
public sealed record RebuildMismatch(string TransactionId, string CustomerId, DateTimeOffset Timestamp, string? LongLived, string? Rebuilt);
