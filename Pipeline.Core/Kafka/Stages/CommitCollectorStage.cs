using Akka.Event;
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
/// size does not grow with the records it stands for. When upstream fails, the offsets collected so far (their
/// records' outputs are all acknowledged) are committed before the failure goes on, so a restart does not process
/// those records again (a bad record's dead letter would be written once more on every restart).
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
        // Folded in a mutable map: an immutable batch per record would allocate on every element.
        private readonly Dictionary<(ICommitter, Confluent.Kafka.TopicPartition), long> _highest = new();
        private long _count;
        private bool _intervalElapsed;
        private bool _failing;

        public Logic(CommitCollectorStage stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._in,
                onPush: () =>
                {
                    Add(Grab(stage._in));
                    if (_count >= stage._settings.MaxBatch)
                        TryEmit();
                    if (!HasBeenPulled(stage._in) && !IsClosed(stage._in))
                        Pull(stage._in);
                },
                onUpstreamFinish: () =>
                {
                    if (_count == 0)
                        CompleteStage();
                    else if (IsAvailable(stage._out))
                    {
                        Push(stage._out, TakeBatch());
                        CompleteStage();
                    }
                    // Otherwise the final batch is pushed on the next pull.
                },
                onUpstreamFailure: cause =>
                {
                    if (_count == 0)
                    {
                        FailStage(cause);
                        return;
                    }
                    _failing = true;
                    var failed = GetAsyncCallback<Task>(commit =>
                    {
                        if (commit.Exception is { } error)
                            Log.Warning("Committing the offsets acknowledged before the stream failed: {0}", error.GetBaseException().Message);
                        FailStage(cause);
                    });
                    TakeBatch().CommitAsync().ContinueWith(failed, TaskScheduler.Default);
                });
            SetHandler(stage._out, onPull: () =>
            {
                if (_failing)
                    return;
                if (IsClosed(stage._in))
                {
                    if (_count > 0)
                        Push(stage._out, TakeBatch());
                    CompleteStage();
                    return;
                }
                if (_intervalElapsed || _count >= stage._settings.MaxBatch)
                    TryEmit();
            });
        }

        public override void PreStart()
        {
            ScheduleRepeatedly(IntervalTimer, _stage._settings.MaxInterval);
            Pull(_stage._in);
        }

        private void Add(ICommittable committable)
        {
            switch (committable)
            {
                case CommittableOffset offset:
                    Keep((offset.Committer, offset.Offset.TopicPartition), offset.Offset.Offset.Value);
                    _count++;
                    break;
                case CommittableOffsetBatch batch:
                    foreach (var (key, value) in batch.Entries)
                        Keep(key, value);
                    _count += batch.BatchSize;
                    break;
                default:
                    throw new ArgumentException($"Cannot commit a {committable.GetType().Name}", nameof(committable));
            }
        }

        private void Keep((ICommitter, Confluent.Kafka.TopicPartition) key, long offset)
        {
            if (!_highest.TryGetValue(key, out var existing) || existing < offset)
                _highest[key] = offset;
        }

        private CommittableOffsetBatch TakeBatch()
        {
            var batch = CommittableOffsetBatch.From(_highest, _count);
            _highest.Clear();
            _count = 0;
            return batch;
        }

        protected override void OnTimer(object timerKey)
        {
            _intervalElapsed = true;
            TryEmit();
        }

        // Push only when the outlet is available: the timer fires outside the push/pull cycle.
        private void TryEmit()
        {
            if (_count > 0 && IsAvailable(_stage._out))
            {
                Push(_stage._out, TakeBatch());
                _intervalElapsed = false;
            }
            if (!HasBeenPulled(_stage._in) && !IsClosed(_stage._in))
                Pull(_stage._in);
        }
    }
}
