using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Internal;

namespace Pipeline.Core.Kafka.Stages;

/// <summary>The records of one partition assignment; completes when the partition is revoked or the source stops.</summary>
internal sealed class PartitionSubSourceStage<TKey, TValue, TOut>(
    TopicPartition partition,
    RecordQueue<PolledRecord<TKey, TValue>> queue,
    ConsumerPump<TKey, TValue> pump,
    Func<PolledRecord<TKey, TValue>, ConsumerPump<TKey, TValue>, TOut> build)
    : GraphStage<SourceShape<TOut>>
{
    private readonly Outlet<TOut> _out = new("kafka.partition.out");
    private readonly TopicPartition _partition = partition;
    private readonly RecordQueue<PolledRecord<TKey, TValue>> _queue = queue;
    private readonly ConsumerPump<TKey, TValue> _pump = pump;
    private readonly Func<PolledRecord<TKey, TValue>, ConsumerPump<TKey, TValue>, TOut> _build = build;

    public override SourceShape<TOut> Shape => new(_out);

    protected override Attributes InitialAttributes => Attributes.CreateName($"kafka-partition {_partition}");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly PartitionSubSourceStage<TKey, TValue, TOut> _stage;

        public Logic(PartitionSubSourceStage<TKey, TValue, TOut> stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._out, this);
        }

        public override void PreStart() => _stage._queue.SetListener(GetAsyncCallback(OnAvailable));

        public override void OnPull() => TryPush();

        private void OnAvailable()
        {
            if (IsAvailable(_stage._out))
                TryPush();
            else if (IsFinished())
                CompleteStage();
        }

        private void TryPush()
        {
            while (_stage._queue.TryDequeue(out var record))
            {
                _stage._pump.Taken(record);
                if (!record.State.IsLive)
                    continue;
                _stage._pump.Emitted(record);
                Push(_stage._out, _stage._build(record, _stage._pump));
                return;
            }
            if (IsFinished())
                CompleteStage();
        }

        private bool IsFinished() => _stage._pump.IsPollingStopped || !_stage._pump.IsCurrent(_stage._partition, _stage._queue);
    }
}
