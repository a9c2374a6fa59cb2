namespace Pipeline.Core.Kafka.Internal;

/// <summary>
/// How a source stage ends, shared by every source: stopped through its <see cref="ConsumerControl"/>, the
/// consumer stays open for the commits still in flight until Shutdown; ended any other way (failure,
/// cancellation, materializer shut down) the consumer is closed at once, as nothing more will be committed.
/// </summary>
internal sealed class SourceLifecycle<TKey, TValue>
{
    private readonly ConsumerPump<TKey, TValue> _pump;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private Action? _stopOnStage;
    private bool _stopRequested;
    private bool _stoppedByControl;

    public SourceLifecycle(ConsumerPump<TKey, TValue> pump, TimeSpan closeTimeout)
    {
        _pump = pump;
        Control = new ConsumerControl(RequestStop, _stopped.Task, pump.Close, pump.Closed, pump.Metrics, closeTimeout);
    }

    public ConsumerControl Control { get; }

    /// <summary>Called in PreStart with an async callback of the stage that runs <see cref="StopByControl"/>.</summary>
    public void Bind(Action stopOnStage)
    {
        bool requested;
        lock (_gate)
        {
            _stopOnStage = stopOnStage;
            requested = _stopRequested;
        }
        // The control is handed out at materialization, before the stage starts: a stop asked for by then is done now.
        if (requested)
            stopOnStage();
    }

    private void RequestStop()
    {
        Action? stopOnStage;
        lock (_gate)
        {
            _stopRequested = true;
            stopOnStage = _stopOnStage;
        }
        stopOnStage?.Invoke();
    }

    /// <summary>Runs on the stage: stop fetching and complete the source.</summary>
    public void StopByControl(Action completeStage)
    {
        _stoppedByControl = true;
        _pump.StopPolling();
        completeStage();
    }

    public void PostStop()
    {
        if (!_stoppedByControl)
            _pump.Close(abrupt: true);
        _stopped.TrySetResult();
    }
}
