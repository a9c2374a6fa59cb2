using System.Collections.Concurrent;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Internal;

namespace Pipeline.Core.Kafka.Stages;

/// <summary>
/// Emits one sub-source per assigned partition when it is assigned. Each sub-source reads its own
/// bounded buffer (a full buffer pauses only that partition) and completes when the partition is revoked.
/// </summary>
internal sealed class PartitionedSourceStage<TKey, TValue, TOut>(
    SourceParameters<TKey, TValue> parameters,
    Func<PolledRecord<TKey, TValue>, ConsumerPump<TKey, TValue>, TOut> build)
    : GraphStageWithMaterializedValue<SourceShape<(TopicPartition, Source<TOut, NotUsed>)>, ConsumerControl>
{
    private readonly Outlet<(TopicPartition, Source<TOut, NotUsed>)> _out = new("kafka.partitioned-source.out");
    private readonly SourceParameters<TKey, TValue> _parameters = parameters;
    private readonly Func<PolledRecord<TKey, TValue>, ConsumerPump<TKey, TValue>, TOut> _build = build;

    public override SourceShape<(TopicPartition, Source<TOut, NotUsed>)> Shape => new(_out);

    protected override Attributes InitialAttributes => Attributes.CreateName($"kafka-partitioned-source {_parameters.Subscription}");

    public override ILogicAndMaterializedValue<ConsumerControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var logic = new Logic(this);
        return new LogicAndMaterializedValue<ConsumerControl>(logic, logic.Control);
    }

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly PartitionedSourceStage<TKey, TValue, TOut> _stage;
        private readonly ConcurrentDictionary<TopicPartition, RecordQueue<PolledRecord<TKey, TValue>>> _created = new();
        private readonly ConcurrentQueue<(TopicPartition Partition, RecordQueue<PolledRecord<TKey, TValue>> Queue)> _assigned = new();
        private readonly ConsumerPump<TKey, TValue> _pump;
        private readonly SourceLifecycle<TKey, TValue> _lifecycle;

        public Logic(PartitionedSourceStage<TKey, TValue, TOut> stage) : base(stage.Shape)
        {
            _stage = stage;
            _pump = stage._parameters.CreatePump(partition =>
            {
                var queue = new RecordQueue<PolledRecord<TKey, TValue>>();
                _created[partition] = queue;
                return queue;
            });
            _lifecycle = new SourceLifecycle<TKey, TValue>(_pump, stage._parameters.Settings.CloseTimeout);
            SetHandler(stage._out, this);
        }

        public ConsumerControl Control => _lifecycle.Control;

        public override void PreStart()
        {
            _lifecycle.Bind(GetAsyncCallback(() => _lifecycle.StopByControl(CompleteStage)));
            var wake = GetAsyncCallback(TryPush);
            // Runs on the poll thread once the assignment is registered, so every queued sub-source is current.
            void Assigned(IReadOnlyList<TopicPartition> partitions)
            {
                foreach (var partition in partitions)
                {
                    if (_created.TryRemove(partition, out var queue))
                        _assigned.Enqueue((partition, queue));
                }
                wake();
            }
            _pump.Start(new Events(Assigned, GetAsyncCallback<Exception>(FailStage)), Log);
        }

        public override void OnPull() => TryPush();

        private void TryPush()
        {
            if (!IsAvailable(_stage._out))
                return;
            while (_assigned.TryDequeue(out var assignment))
            {
                if (!_pump.IsCurrent(assignment.Partition, assignment.Queue))
                    continue;
                var records = Source.FromGraph(new PartitionSubSourceStage<TKey, TValue, TOut>(
                    assignment.Partition, assignment.Queue, _pump, _stage._build));
                Push(_stage._out, (assignment.Partition, records));
                return;
            }
        }

        public override void PostStop() => _lifecycle.PostStop();

        private sealed class Events(Action<IReadOnlyList<TopicPartition>> assigned, Action<Exception> failed) : IPumpEvents
        {
            public void Assigned(IReadOnlyList<TopicPartition> partitions) => assigned(partitions);

            public void Revoked(IReadOnlyList<TopicPartition> partitions) { }

            public void Failed(Exception cause) => failed(cause);
        }
    }
}
