namespace Pipeline.Core.UseCaseRuntime.Python;

/// <summary>
/// Watches the folders of running Python use cases and reports the use cases whose file's text differs from the code they
/// run, a moment after the last change (an editor's save, or Kubernetes swapping a ConfigMap's files, is several events).
/// </summary>
internal sealed class PythonFileWatcher : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    private readonly IReadOnlyList<(string Key, PythonUseCase UseCase)> _watched;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Timer _settled;
    private readonly Action<string> _changed;

    /// <param name="changed">Called with the key of each use case whose file changed.</param>
    public PythonFileWatcher(IReadOnlyList<(string Key, PythonUseCase UseCase)> watched, Action<string> changed)
    {
        _watched = watched;
        _changed = changed;
        _settled = new Timer(_ => Report());
        foreach (var folder in watched.Select(w => Path.GetDirectoryName(w.UseCase.File)!).Distinct())
        {
            var watcher = new FileSystemWatcher(folder) { IncludeSubdirectories = true, EnableRaisingEvents = true };
            watcher.Changed += (_, _) => _settled.Change(Settle, Timeout.InfiniteTimeSpan);
            watcher.Created += (_, _) => _settled.Change(Settle, Timeout.InfiniteTimeSpan);
            watcher.Renamed += (_, _) => _settled.Change(Settle, Timeout.InfiniteTimeSpan);
            _watchers.Add(watcher);
        }
    }

    private void Report()
    {
        foreach (var key in _watched.Where(w => w.UseCase.FileChanged()).Select(w => w.Key).Distinct())
            _changed(key);
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
            watcher.Dispose();
        _settled.Dispose();
    }
}
