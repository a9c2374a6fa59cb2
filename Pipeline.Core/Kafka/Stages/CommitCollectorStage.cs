using Akka.Streams;
using Akka.Streams.Stage;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Core.Kafka.Stages;

/// <summary>
/// Folds committables into one batch (highest offset per partition) and emits it when it holds
/// <see cref="CommitterSettings.MaxBatch"/> records, when <see cref="CommitterSettings.MaxInterval"/> passed,
/// or at completion. While downstream (the commit itself) is busy it keeps folding, so a slow commit
/// makes bigger batches instead of stalling the stream: a batch holds one offset per partition, so its
/// size does not grow with the records it stands for.
/// </summary>
internal sealed class CommitCollectorStage : GraphStage<FlowShape<ICommittable, CommittableOffsetBatch>>
{
    private readonly CommitterSettings _settings;
    private readonly Inlet<ICommittable> _in = new("kafka.committer.in");
    private readonly Outlet<CommittableOffsetBatch> _out = new("kafka.committer.out");

    public CommitCollectorStage(CommitterSettings settings)
    {
        _settings = settings;
        Shape = new FlowShape<ICommittable, CommittableOffsetBatch>(_in, _out);
    }

    public override FlowShape<ICommittable, CommittableOffsetBatch> Shape { get; }

    protected override Attributes InitialAttributes => Attributes.CreateName("kafka-commit-collector");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : TimerGraphStageLogic
    {
        private const string IntervalTimer = "commit-interval";
        private readonly CommitCollectorStage _stage;
        private CommittableOffsetBatch _batch = CommittableOffsetBatch.Empty;
        private bool _intervalElapsed;

        public Logic(CommitCollectorStage stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._in,
                onPush: () =>
                {
                    _batch = _batch.Updated(Grab(stage._in));
                    if (_batch.BatchSize >= stage._settings.MaxBatch)
                        TryEmit();
                    if (!HasBeenPulled(stage._in) && !IsClosed(stage._in))
                        Pull(stage._in);
                },
                onUpstreamFinish: () =>
                {
                    if (_batch.IsEmpty)
                        CompleteStage();
                    else if (IsAvailable(stage._out))
                    {
                        Push(stage._out, _batch);
                        CompleteStage();
                    }
                    // Otherwise the final batch is pushed on the next pull.
                });
            SetHandler(stage._out, onPull: () =>
            {
                if (IsClosed(stage._in))
                {
                    if (!_batch.IsEmpty)
                        Push(stage._out, _batch);
                    CompleteStage();
                    return;
                }
                if (_intervalElapsed || _batch.BatchSize >= stage._settings.MaxBatch)
                    TryEmit();
            });
        }

        public override void PreStart()
        {
            ScheduleRepeatedly(IntervalTimer, _stage._settings.MaxInterval);
            Pull(_stage._in);
        }

        protected override void OnTimer(object timerKey)
        {
            _intervalElapsed = true;
            TryEmit();
        }

        // Push only when the outlet is available: the timer fires outside the push/pull cycle.
        private void TryEmit()
        {
            if (!_batch.IsEmpty && IsAvailable(_stage._out))
            {
                Push(_stage._out, _batch);
                _batch = CommittableOffsetBatch.Empty;
                _intervalElapsed = false;
            }
            if (!HasBeenPulled(_stage._in) && !IsClosed(_stage._in))
                Pull(_stage._in);
        }
    }
}
