using Pipeline.Core.Configuration;

namespace Pipeline.Core.UseCaseRuntime.Python;

/// <summary>How Python use cases run, from <c>pipeline.python</c>.</summary>
/// <param name="Interpreter">The Python 3 interpreter the workers run in; it needs the msgpack package.</param>
/// <param name="UseCasesDirectory">The folder whose <c>.py</c> files are use cases (relative paths: from the working directory).</param>
/// <param name="Workers">Worker processes per Python use case variant.</param>
/// <param name="EvaluateTimeout">An evaluate still running after this is stopped (its worker killed) and the record dead-lettered.</param>
/// <param name="CrashesPerRecord">A record whose evaluate kills the worker this many times is dead-lettered.</param>
/// <param name="StartTimeout">How long a worker may take to start and load its use case.</param>
/// <param name="ReloadOnChange">Reload a use case when its file changes.</param>
public sealed record PythonSettings(
    string Interpreter, string UseCasesDirectory, int Workers, TimeSpan EvaluateTimeout, int CrashesPerRecord, TimeSpan StartTimeout,
    bool ReloadOnChange)
{
    public static PythonSettings Create(ConfigSection section) => new(
        section.GetString("interpreter"),
        Path.GetFullPath(section.GetString("use-cases-dir")),
        section.GetInt("workers", 1, 64),
        section.GetDuration("evaluate-timeout"),
        section.GetInt("crashes-per-record", 1, 100),
        section.GetDuration("start-timeout"),
        section.GetBool("reload-on-change"));
}
