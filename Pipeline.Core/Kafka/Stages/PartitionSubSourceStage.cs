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

    private sealed class Logic(PartitionSubSourceStage<TKey, TValue, TOut> stage) : OutGraphStageLogic(stage.Shape)
    {
        public override void PreStart()
        {
            SetHandler(stage._out, this);
            stage._queue.SetListener(GetAsyncCallback(OnAvailable));
        }

        public override void OnPull() => TryPush();

        private void OnAvailable()
        {
            if (IsAvailable(stage._out))
                TryPush();
            else if (IsFinished())
                CompleteStage();
        }

        private void TryPush()
        {
            while (stage._queue.TryDequeue(out var record))
            {
                stage._pump.Taken(record);
                if (!record.State.IsLive)
                    continue;
                stage._pump.Emitted(record);
                Push(stage._out, stage._build(record, stage._pump));
                return;
            }
            if (IsFinished())
                CompleteStage();
        }

        private bool IsFinished() => stage._pump.IsPollingStopped || !stage._pump.IsCurrent(stage._partition, stage._queue);
    }
}
