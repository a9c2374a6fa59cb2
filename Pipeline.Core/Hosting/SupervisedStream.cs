using Akka;
using Akka.Event;
using Pipeline.Core.Kafka;
using Prometheus;

namespace Pipeline.Core.Hosting;

/// <summary>
/// Runs one consumer stream and restarts it with exponential backoff whenever it fails, until stopped. Each restart
/// is logged once and counted (<c>pipeline_stream_restarts_total</c>). A stream that ran longer than the maximum
/// backoff before failing starts again from the minimum backoff. Stopping drains in-flight records and commits.
/// A failure naming the input record it happened on (<see cref="RecordFailedException"/>) is counted against that record in
/// <see cref="Poison"/>, which the restarted stream asks before processing a record: no input can hold it in a restart loop.
/// </summary>
public sealed class SupervisedStream
{
    private static readonly Counter Restarts = Metrics.CreateCounter("pipeline_stream_restarts_total", "Restarts of a stream after it failed.", "stream");
    private static readonly Gauge Running = Metrics.CreateGauge("pipeline_stream_running", "1 while the stream runs, 0 otherwise.", "stream");

    private readonly Func<CancellationToken, Task<DrainingControl<Done>>> _start;
    private readonly RestartSettings _restart;
    private readonly ILoggingAdapter _log;
    private readonly Random _random = new();
    private readonly object _gate = new();
    private CancellationTokenSource? _stop;
    private Task? _loop;
    private DrainingControl<Done>? _current;
    private int _restarts;

    public SupervisedStream(string name, Func<CancellationToken, Task<DrainingControl<Done>>> start, RestartSettings restart, ILoggingAdapter log,
        PoisonRecords? poison = null)
    {
        Name = name;
        Poison = poison;
        _start = start;
        _restart = restart;
        _log = log;
    }

    public string Name { get; }

    /// <summary>The stream's failures per input record, kept across its restarts; null when the stream counts none.</summary>
    public PoisonRecords? Poison { get; }

    public StreamState State { get; private set; } = StreamState.Stopped;

    /// <summary>Restarts since the node started.</summary>
    public int RestartCount => Volatile.Read(ref _restarts);

    /// <summary>Why the stream last failed, if it did.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>The running stream's consumer, while it runs.</summary>
    public ConsumerControl? Control => _current?.Control;

    /// <summary>Whether the stream was started and not stopped since (it may be starting or backing off after a failure).</summary>
    public bool IsStarted
    {
        get
        {
            lock (_gate)
                return _loop is { IsCompleted: false } && _stop is { IsCancellationRequested: false };
        }
    }

    /// <summary>Starts the stream unless it runs already.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_loop is { IsCompleted: false })
                return;
            _stop = new CancellationTokenSource();
            _loop = Task.Run(() => RunAsync(_stop.Token));
        }
    }

    /// <summary>Stops the stream: drains what is in flight, commits, closes the consumer. Waits at most <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        Task? loop;
        lock (_gate)
        {
            loop = _loop;
            if (loop is null || loop.IsCompleted)
                return;
            State = StreamState.Stopping;
            _stop!.Cancel();
        }
        if (_current is { } current)
            await current.DrainAndShutdown().LogFailure(timeout, $"Draining stream {Name}", _log.Warning).ConfigureAwait(false);
        await loop.LogFailure(timeout, $"Stopping stream {Name}'s restart loop", _log.Warning).ConfigureAwait(false);
        State = StreamState.Stopped;
        _log.Info("Stream {0} stopped", Name);
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            var started = DateTime.UtcNow;
            try
            {
                State = StreamState.Starting;
                _current = await _start(stop).ConfigureAwait(false);
                State = StreamState.Running;
                Running.WithLabels(Name).Set(1);
                _log.Info("Stream {0} running", Name);
                await _current.Completion.ConfigureAwait(false);
                if (stop.IsCancellationRequested)
                    break;
                LastFailure = "completed unexpectedly";
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                LastFailure = Cause(e).Message;
                Poison?.Failed(e);
            }
            catch (Exception)
            {
                break;
            }
            finally
            {
                Running.WithLabels(Name).Set(0);
            }

            attempt = DateTime.UtcNow - started > _restart.MaxBackoff ? 1 : attempt + 1;
            var wait = _restart.Backoff(attempt, _random);
            Interlocked.Increment(ref _restarts);
            Restarts.WithLabels(Name).Inc();
            _log.Warning("Stream {0} failed ({1}); restart {2} in {3:0.0} s", Name, LastFailure, RestartCount, wait.TotalSeconds);
            State = StreamState.BackingOff;
            try
            {
                await Task.Delay(wait, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        _current = null;
    }

    // Only a task's wrapper is peeled off: the outermost real exception is the one whose message says what to do
    // (a store past its write deadline names the store, the deadline and the fix; its driver error inside does not).
    private static Exception Cause(Exception e) =>
        e is AggregateException { InnerExceptions.Count: 1 } aggregate ? Cause(aggregate.InnerExceptions[0]) : e;
}
