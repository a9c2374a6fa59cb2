using System.Buffers;
using MessagePack;
using Pipeline.Core.Configuration;
using Pipeline.Core.UseCases;

namespace Pipeline.Core.UseCaseRuntime.Python;

/// <summary>
/// A use case written in Python, as the registry and the hosts see it: an ordinary <see cref="IUseCase"/> whose Evaluate is a
/// call into a worker process running the file (<see cref="PythonWorker"/>). The state is the pickled Python value
/// (<see cref="PythonState"/>), so the workers hold nothing and everything the service does for C# use cases applies unchanged.
/// A raised exception, an evaluate past the timeout, or a record that killed the worker <c>crashes-per-record</c> times fails that
/// record with <see cref="PythonUseCaseError"/> (a dead letter); a crashed or stopped worker is replaced on the next call.
/// </summary>
public sealed class PythonUseCase : IUseCase, IReloadableUseCase
{
    private static int _nextSettingsId;

    private readonly PythonSettings _runtime;
    private readonly object _gate = new();
    private readonly Stack<PythonWorker> _idle = new();
    private readonly List<PythonWorker> _running = [];
    private readonly SemaphoreSlim _slots;
    private long _generation;
    private string? _code;
    private byte[]? _initialState;

    public PythonUseCase(string file, PythonDeclarations declared, PythonSettings runtime)
    {
        File = Path.GetFullPath(file);
        Declared = declared;
        _runtime = runtime;
        _slots = new SemaphoreSlim(runtime.Workers, runtime.Workers);
        PythonResources.Track(this);
    }

    /// <summary>The use case's file.</summary>
    public string File { get; }

    /// <summary>What the file declared when it was found.</summary>
    public PythonDeclarations Declared { get; }

    public string Name => Declared.Name;

    public string Variant => Declared.Variant;

    public string ConfigKey => UseCaseNames.ToConfigKey(Name);

    public string? TargetBehaviour => Declared.TargetBehaviour;

    public long Generation => Interlocked.Read(ref _generation);

    public Type StateType => typeof(PythonState);

    public object InitialState
    {
        get
        {
            EnsureLoaded();
            return new PythonState(_initialState!);
        }
    }

    /// <summary>Loads the file (a refused file stops the start with its file and line), then checks the settings with its read_settings.</summary>
    public object ReadSettings(ConfigSection section)
    {
        EnsureLoaded();
        var settings = new PythonUseCaseSettings(Interlocked.Increment(ref _nextSettingsId), section.ToPlainTree());
        var worker = Rent();
        try
        {
            worker.NeedsSettings(settings.Id);
            SendSettings(worker, settings);
        }
        catch (PythonUseCaseError e)
        {
            throw new ConfigurationError($"Use case '{ConfigKey}' ({Path.GetFileName(File)}) refused its settings '{section.Path}': {e.Message}. Fix the settings or read_settings.");
        }
        finally
        {
            Return(worker);
        }
        return settings;
    }

    public TimeSpan HistoryNeeded(object settings) => TimeSpan.Zero;

    public Evaluation<object> Evaluate(object state, CardTransaction transaction, object settings, UseCaseContext context)
    {
        var pickled = ((PythonState)state).Pickled;
        var own = (PythonUseCaseSettings)settings;
        var historyStart = context.HistoryStart(transaction);
        for (var crashes = 0; ;)
        {
            var worker = Rent();
            try
            {
                if (worker.NeedsSettings(own.Id))
                    SendSettings(worker, own);
                var answer = worker.Call((ref MessagePackWriter w) => WriteEvaluate(ref w, pickled, transaction, own.Id, context.Customer, historyStart),
                    _runtime.EvaluateTimeout);
                return ReadEvaluation(answer);
            }
            catch (PythonWorkerDied died) when (died.TimedOut)
            {
                throw new PythonUseCaseError($"TimeoutError: evaluate did not return within {_runtime.EvaluateTimeout.TotalSeconds:0.###} s " +
                    $"(pipeline.python.evaluate-timeout); {died.Message}");
            }
            catch (PythonWorkerDied died)
            {
                if (++crashes >= _runtime.CrashesPerRecord)
                    throw new PythonUseCaseError($"WorkerCrashed: evaluating this record ended the Python worker {crashes} times " +
                        $"(pipeline.python.crashes-per-record); {died.Message}");
            }
            finally
            {
                Return(worker);
            }
        }
    }

    /// <summary>
    /// Loads the file's current text as the use case's new code: later calls run it, and entities rebuild their state with it.
    /// A file Python refuses (syntax error, failing import) or one that changed its NAME or VARIANT throws
    /// <see cref="ConfigurationError"/> naming the file and line, and the old code keeps running.
    /// </summary>
    public void Reload()
    {
        lock (_gate)
        {
            var generation = _generation + 1;
            var (worker, initial, code) = StartLoaded(generation);
            _code = code;
            _initialState = initial;
            while (_idle.TryPop(out var old))
                Retire(old);
            Interlocked.Exchange(ref _generation, generation);
            _idle.Push(worker);
        }
    }

    /// <summary>Whether the file's text differs from the code that runs (a file that cannot be read counts as unchanged).</summary>
    public bool FileChanged()
    {
        try
        {
            var text = System.IO.File.ReadAllText(File);
            lock (_gate)
                return _code is not null && text != _code;
        }
        catch (IOException) { return false; }
    }

    /// <summary>Reload the use case when its file changes (<c>pipeline.python.reload-on-change</c>).</summary>
    public bool ReloadOnChange => _runtime.ReloadOnChange;

    /// <summary>CPU time of the workers since the last sample and their resident memory now.</summary>
    internal (TimeSpan Cpu, long Memory) SampleResources()
    {
        lock (_gate)
        {
            var cpu = TimeSpan.Zero;
            long memory = 0;
            foreach (var worker in _running)
            {
                cpu += worker.TakeCpuDelta();
                memory += worker.MemoryBytes;
            }
            return (cpu, memory);
        }
    }

    private void EnsureLoaded()
    {
        lock (_gate)
        {
            if (_initialState is not null)
                return;
            var (worker, initial, code) = StartLoaded(0);
            _code = code;
            _initialState = initial;
            _idle.Push(worker);
        }
    }

    private PythonWorker Rent()
    {
        _slots.Wait();
        try
        {
            lock (_gate)
            {
                if (_idle.TryPop(out var idle))
                    return idle;
                return StartLoaded(_generation).Worker;
            }
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    private void Return(PythonWorker worker)
    {
        lock (_gate)
        {
            if (worker.HasExited || worker.Generation != _generation)
                Retire(worker);
            else
                _idle.Push(worker);
        }
        _slots.Release();
    }

    private void Retire(PythonWorker worker)
    {
        PythonResources.AddCpu(this, worker.TakeCpuDelta());
        _running.Remove(worker);
        worker.Dispose();
    }

    /// <summary>
    /// Starts a worker on a copy of the code of <paramref name="generation"/> (the file's current text when it is new), so a
    /// worker restarted after a crash runs the code the others run even when the file has changed since.
    /// </summary>
    private (PythonWorker Worker, byte[] InitialState, string Code) StartLoaded(long generation)
    {
        var current = generation == _generation && _code is not null;
        var code = current ? _code! : System.IO.File.ReadAllText(File);
        var snapshot = Path.Combine(Path.GetTempPath(), "pipeline-python-code", Environment.ProcessId.ToString(), $"{ConfigKey}-{Variant}", generation.ToString(), Path.GetFileName(File));
        if (!current || !System.IO.File.Exists(snapshot))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(snapshot)!);
            System.IO.File.WriteAllText(snapshot, code);
        }
        var worker = PythonWorker.Start(_runtime, snapshot, Path.GetDirectoryName(File)!, generation);
        worker.Output += line => PythonResources.Log?.Invoke($"{Name}/{Variant}: {line}");
        try
        {
            var answer = worker.Call((ref MessagePackWriter w) =>
            {
                w.WriteArrayHeader(2);
                w.Write("load");
                w.Write(snapshot);
            }, _runtime.StartTimeout);
            var initial = ReadLoaded(answer, snapshot);
            _running.Add(worker);
            return (worker, initial, code);
        }
        catch (PythonWorkerDied died)
        {
            worker.Dispose();
            throw new ConfigurationError(
                $"Python use case {File} could not be loaded: {died.Message}. " +
                (died.Message.Contains("msgpack", StringComparison.Ordinal)
                    ? $"The interpreter {_runtime.Interpreter} lacks the msgpack package: install Debian's python3-msgpack (apt-get install python3-msgpack)."
                    : "Check pipeline.python.interpreter and the file."));
        }
        catch
        {
            worker.Dispose();
            throw;
        }
    }

    private byte[] ReadLoaded(ReadOnlyMemory<byte> answer, string snapshot)
    {
        var reader = new MessagePackReader(answer);
        reader.ReadArrayHeader();
        if (reader.ReadString() == "refused")
        {
            var file = reader.ReadString();
            var line = reader.ReadInt32();
            var message = reader.ReadString();
            throw new ConfigurationError($"Python use case {(file == snapshot ? File : file)}, line {line}: {message}. Fix the file; the use case was not (re)loaded.");
        }
        var name = reader.ReadString();
        var variant = reader.ReadString();
        var target = reader.TryReadNil() ? null : reader.ReadString();
        if (name != Name || variant != Variant || target != TargetBehaviour)
            throw new ConfigurationError(
                $"Python use case {File} declares NAME={Name}, VARIANT={Variant}, TARGET_BEHAVIOUR={target ?? "None"} in its text, but Python " +
                $"sees {name}/{variant}/{TargetBehaviour ?? "None"} (or they changed since it started): write them as plain string literals at module " +
                "level, and give a changed name a new file (a restart).");
        return reader.ReadBytes()!.Value.ToArray();
    }

    private static void SendSettings(PythonWorker worker, PythonUseCaseSettings settings)
    {
        var answer = worker.Call((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write("settings");
            w.Write(settings.Id);
            WritePlain(ref w, settings.Values);
        }, TimeSpan.FromSeconds(30));
        var reader = new MessagePackReader(answer);
        reader.ReadArrayHeader();
        if (reader.ReadString() != "ok")
            throw Failure(ref reader);
    }

    private static void WriteEvaluate(ref MessagePackWriter w, byte[] state, CardTransaction t, int settingsId, CustomerSettings customer, DateTimeOffset historyStart)
    {
        w.WriteArrayHeader(6);
        w.Write("evaluate");
        w.Write(state);
        w.WriteArrayHeader(8);
        w.Write(t.TransactionId);
        w.Write(t.CustomerId);
        w.Write(t.Merchant);
        w.Write(t.Category);
        w.Write(t.AmountMinor);
        w.Write(t.TipMinor);
        w.Write(t.Currency);
        w.Write(UnixMicros(t.Timestamp));
        w.Write(settingsId);
        w.WriteArrayHeader(2);
        w.Write(customer.CustomerId);
        if (customer.LargePurchaseThresholdMinor is { } threshold)
            w.Write(threshold);
        else
            w.WriteNil();
        w.Write(UnixMicros(historyStart));
    }

    private static long UnixMicros(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

    private static Evaluation<object> ReadEvaluation(ReadOnlyMemory<byte> answer)
    {
        var reader = new MessagePackReader(answer);
        reader.ReadArrayHeader();
        if (reader.ReadString() != "ok")
            throw Failure(ref reader);
        var state = new PythonState(reader.ReadBytes()!.Value.ToArray());
        var message = reader.TryReadNil() ? null : reader.ReadString();
        return new Evaluation<object>(state, message);
    }

    private static PythonUseCaseError Failure(ref MessagePackReader reader)
    {
        var type = reader.ReadString();
        var message = reader.ReadString();
        var frame = reader.ReadString();
        return new PythonUseCaseError(frame is { Length: > 0 } ? $"{type}: {message} (at {frame})" : $"{type}: {message}");
    }

    private static void WritePlain(ref MessagePackWriter w, object value)
    {
        switch (value)
        {
            case IReadOnlyDictionary<string, object> map:
                w.WriteMapHeader(map.Count);
                foreach (var (key, item) in map)
                {
                    w.Write(key);
                    WritePlain(ref w, item);
                }
                break;
            case IReadOnlyList<object> list:
                w.WriteArrayHeader(list.Count);
                foreach (var item in list)
                    WritePlain(ref w, item);
                break;
            case long integer: w.Write(integer); break;
            case double number: w.Write(number); break;
            case bool flag: w.Write(flag); break;
            default: w.Write(value.ToString()); break;
        }
    }

    public override string ToString() => $"{Name}/{Variant} ({Path.GetFileName(File)})";
}
