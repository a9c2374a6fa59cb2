using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pipeline.Tests.Support;

/// <summary>The real `pipeline` executable as a child process, with its output captured line by line.</summary>
public sealed class PipelineProcess : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly ConcurrentQueue<string> _all = new();

    private PipelineProcess(Process process) => _process = process;

    public static PipelineProcess Start(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "pipeline.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory.CreateTempSubdirectory("pipeline-run-").FullName
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var wrapper = new PipelineProcess(process);
        process.OutputDataReceived += (_, e) => wrapper.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>
    /// Runs a command that ends by itself (a refused option, a config check, a status query) and returns its exit code
    /// and everything it printed; fails the test when it has not ended within 30 s.
    /// </summary>
    public static (int ExitCode, string Output) RunToExit(params string[] args)
    {
        using var process = Start(args);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), $"pipeline {string.Join(' ', args)} did not end within 30 s:\n{process.Output}");
        return (process.ExitCode, process.Output);
    }

    public int Id => _process.Id;

    public string Output => string.Join('\n', _all);

    /// <summary>Waits for an output line matching <paramref name="match"/>; fails with the output so far.</summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.TryTake(out var line, TimeSpan.FromMilliseconds(100)) && match(line))
                return line;
            if (_process.HasExited && _lines.Count == 0)
            {
                // HasExited can be true while the last lines are still being read; the parameterless WaitForExit returns
                // only once the redirected output reached its end, so they are all queued before giving up.
                _process.WaitForExit();
                if (_lines.Count == 0)
                    break;
            }
        }
        var exited = _process.HasExited ? $"The process exited with code {_process.ExitCode}. " : "";
        throw new TimeoutException($"No matching output within {timeout}. {exited}Output so far:\n{Output}");
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
            return false;
        _process.WaitForExit(); // also waits for the redirected output to be read to the end
        return true;
    }

    public int ExitCode => _process.ExitCode;

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        _all.Enqueue(line);
        _lines.Add(line);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
