using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using MessagePack;

namespace Pipeline.Core.UseCaseRuntime.Python;

/// <summary>
/// One worker process running one Python use case file: requests and answers are MessagePack arrays framed by a 4-byte
/// length, over its stdin and stdout (see pipeline_worker.py). Calls are synchronous on the caller's thread and one at a time;
/// a watchdog kills the process when a call outlives its timeout, which ends the blocked read.
/// </summary>
internal sealed class PythonWorker : IDisposable
{
    /// <summary>Writes one request as a MessagePack array.</summary>
    public delegate void RequestWriter(ref MessagePackWriter writer);

    private const int StderrLinesKept = 20;

    private readonly Process _process;
    private readonly Stream _requests;
    private readonly Stream _answers;
    private readonly Timer _watchdog;
    private readonly Queue<string> _stderr = new();
    private readonly HashSet<int> _settingsSent = [];
    private readonly ArrayBufferWriter<byte> _frame = new(512);
    private byte[] _answer = new byte[512];
    private long _deadline;
    private int _inCall;
    private volatile bool _timedOut;
    private TimeSpan _lastCpu;

    private PythonWorker(Process process, string file, long generation)
    {
        _process = process;
        File = file;
        Generation = generation;
        _requests = process.StandardInput.BaseStream;
        _answers = process.StandardOutput.BaseStream;
        _watchdog = new Timer(_ => KillIfOverdue());
    }

    /// <summary>The use case file this worker runs.</summary>
    public string File { get; }

    /// <summary>The code generation (reload count) of the use case this worker was loaded with.</summary>
    public long Generation { get; }

    /// <summary>Lines the use case wrote to stderr (print, warnings) go here.</summary>
    public event Action<string>? Output;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the interpreter on the worker script; the use case file is loaded by <see cref="Load"/>.</summary>
    public static PythonWorker Start(PythonSettings settings, string file, string useCaseFolder, long generation)
    {
        if (!System.IO.File.Exists(settings.Interpreter))
            throw new Configuration.ConfigurationError(
                $"Python use case {Path.GetFileName(file)} needs a Python 3 interpreter at '{settings.Interpreter}' (pipeline.python.interpreter), " +
                "which does not exist. Install Debian's python3 and python3-msgpack (apt-get install python3 python3-msgpack), " +
                "or set pipeline.python.interpreter to a python3 that has the msgpack package.");
        var start = new ProcessStartInfo(settings.Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = useCaseFolder
        };
        // -B: no __pycache__ next to the use case (its folder may be a read-only ConfigMap); -s: no user site-packages.
        start.ArgumentList.Add("-B");
        start.ArgumentList.Add("-s");
        start.ArgumentList.Add(Path.Combine(PythonScripts.Directory, PythonScripts.Worker));
        // The use case's own folder first, so it can import its helpers; then the pipeline_use_case module.
        start.Environment["PYTHONPATH"] = string.Join(':', useCaseFolder, PythonScripts.Directory);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {settings.Interpreter}.");
        var worker = new PythonWorker(process, file, generation);
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
                return;
            lock (worker._stderr)
            {
                worker._stderr.Enqueue(line.Data);
                if (worker._stderr.Count > StderrLinesKept)
                    worker._stderr.Dequeue();
            }
            worker.Output?.Invoke(line.Data);
        };
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Whether the settings with this id were sent to this worker; marks them sent.</summary>
    public bool NeedsSettings(int id) => _settingsSent.Add(id);

    /// <summary>Sends one request (written by <paramref name="write"/>) and returns the answer, valid until the next call.</summary>
    /// <exception cref="PythonWorkerDied">The process ended (crash) or was killed after <paramref name="timeout"/>.</exception>
    public ReadOnlyMemory<byte> Call(RequestWriter write, TimeSpan timeout)
    {
        _frame.Clear();
        _frame.GetSpan(4);
        _frame.Advance(4);
        var writer = new MessagePackWriter(_frame);
        write(ref writer);
        writer.Flush();
        BinaryPrimitives.WriteInt32LittleEndian(FrameHeader(), _frame.WrittenCount - 4);

        Volatile.Write(ref _deadline, Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency));
        Volatile.Write(ref _inCall, 1);
        _watchdog.Change(timeout + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
        try
        {
            _requests.Write(_frame.WrittenSpan);
            _requests.Flush();
            Span<byte> header = stackalloc byte[4];
            _answers.ReadExactly(header);
            var size = BinaryPrimitives.ReadInt32LittleEndian(header);
            if (_answer.Length < size)
                _answer = new byte[Math.Max(size, _answer.Length * 2)];
            _answers.ReadExactly(_answer, 0, size);
            return _answer.AsMemory(0, size);
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException)
        {
            throw Died();
        }
        finally
        {
            Volatile.Write(ref _inCall, 0);
        }
    }

    // The length goes in front once the request is written; the buffer is this worker's own.
    private Span<byte> FrameHeader() => System.Runtime.InteropServices.MemoryMarshal.AsMemory(_frame.WrittenMemory).Span[..4];

    private PythonWorkerDied Died()
    {
        if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
            _process.Kill();
        _process.WaitForExit();
        string tail;
        lock (_stderr)
            tail = string.Join(" | ", _stderr.TakeLast(3));
        var file = Path.GetFileName(File);
        return _timedOut
            ? new PythonWorkerDied($"its worker for {file} was stopped", timedOut: true)
            : new PythonWorkerDied($"its worker for {file} died with exit code {_process.ExitCode}" + (tail.Length > 0 ? $" ({tail})" : ""), timedOut: false);
    }

    private void KillIfOverdue()
    {
        if (Volatile.Read(ref _inCall) == 0 || Stopwatch.GetTimestamp() < Volatile.Read(ref _deadline))
            return;
        _timedOut = true;
        try { _process.Kill(); }
        catch (InvalidOperationException) { /* already gone */ }
    }

    /// <summary>CPU time the process used since the last call of this method (zero once it has exited).</summary>
    public TimeSpan TakeCpuDelta()
    {
        try
        {
            _process.Refresh();
            var total = _process.TotalProcessorTime;
            var delta = total - _lastCpu;
            _lastCpu = total;
            return delta;
        }
        catch (InvalidOperationException) { return TimeSpan.Zero; }
    }

    /// <summary>The process's resident memory, or zero once it has exited.</summary>
    public long MemoryBytes
    {
        get
        {
            try
            {
                _process.Refresh();
                return _process.HasExited ? 0 : _process.WorkingSet64;
            }
            catch (InvalidOperationException) { return 0; }
        }
    }

    public void Dispose()
    {
        _watchdog.Dispose();
        try
        {
            _requests.Dispose();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(2)))
                _process.Kill();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException) { /* already gone */ }
        _process.Dispose();
    }
}
