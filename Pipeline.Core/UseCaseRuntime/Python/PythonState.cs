namespace Pipeline.Core.UseCaseRuntime.Python;

/// <summary>
/// A Python use case's per-customer state as the service keeps it: the pickled Python value. The worker unpickles it for each
/// evaluate and sends the new one back, so a worker holds no state: a crash or a reload loses nothing, and rebuild, passivation
/// and idempotent replays work as for C# use cases.
/// </summary>
public sealed record PythonState(byte[] Pickled);
