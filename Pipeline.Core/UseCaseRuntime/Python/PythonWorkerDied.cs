namespace Pipeline.Core.UseCaseRuntime.Python;

/// <summary>A worker process ended during a call: killed after the evaluate timeout, or crashed (os._exit, a C extension).</summary>
internal sealed class PythonWorkerDied(string message, bool timedOut) : Exception(message)
{
    /// <summary>The worker was stopped because the call outlived the evaluate timeout.</summary>
    public bool TimedOut { get; } = timedOut;
}
