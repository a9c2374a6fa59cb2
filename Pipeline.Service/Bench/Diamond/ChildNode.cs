using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>
/// A <c>pipeline run</c> node in a process of its own (this executable, started again), for benchmarks of a cluster of
/// separate processes on loopback. Its output is kept for the error message when it fails.
/// </summary>
internal sealed class ChildNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ChildNode(Process process) => _process = process;

    /// <summary>
    /// Starts <c>pipeline run</c> with <paramref name="configFile"/> (when given) and <paramref name="overrides"/> as --set
    /// options, with <paramref name="environment"/> (e.g. the GC's <c>DOTNET_</c> settings) added to this process's environment.
    /// </summary>
    public static ChildNode Start(string? configFile, IEnumerable<string> overrides, IReadOnlyDictionary<string, string>? environment = null)
    {
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pipeline.dll"));
        start.ArgumentList.Add("run");
        if (configFile is not null)
        {
            start.ArgumentList.Add("--config");
            start.ArgumentList.Add(configFile);
        }
        foreach (var set in overrides)
        {
            start.ArgumentList.Add("--set");
            start.ArgumentList.Add(set);
        }
        var process = new Process { StartInfo = start };
        var node = new ChildNode(process);
        process.OutputDataReceived += (_, e) => node.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => node.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Everything the node printed so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>CPU time the node's process has used so far.</summary>
    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The node's working set now.</summary>
    public long WorkingSet
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>The highest resident set size the node's process has had (Linux's VmHWM), or null where /proc does not tell.</summary>
    public long? PeakWorkingSet
    {
        get
        {
            var status = $"/proc/{_process.Id}/status";
            var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
            return line is null ? null : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
    }

    /// <summary>Waits until the node printed a line starting with <paramref name="prefix"/> and returns it; fails with its output when it exits or the time is up.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        string? found;
        while ((found = _output.FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal))) is null)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the second node exited with code {_process.ExitCode} before printing '{prefix}':\n{Output}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the second node printed no '{prefix}' within {timeout.TotalSeconds:F0} s:\n{Output}");
            await Task.Delay(100, cancellationToken);
        }
        return found;
    }

    private void Keep(string? line)
    {
        if (line is not null)
            _output.Enqueue(line);
    }

    /// <summary>Kills the node: benchmarks stop it only after their measurement, and its scratch topics are thrown away.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
