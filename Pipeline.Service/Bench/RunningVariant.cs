namespace Pipeline.Service.Bench;

/// <summary>
/// A variant consuming and producing: <see cref="Completion"/> fails if it fails, and <see cref="StopAsync"/>
/// stops reading, waits for outputs in flight, commits their offsets and closes the clients.
/// </summary>
internal sealed record RunningVariant(Task Completion, Func<Task> StopAsync);
