using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Internal;

namespace Pipeline.Core.Kafka.Stages;

/// <summary>
/// A source of all records of the subscription's assigned partitions, as <typeparamref name="TOut"/>
/// (the plain record, or the record with its committable offset). Pushes only on demand.
/// </summary>
internal sealed class KafkaSourceStage<TKey, TValue, TOut>(
    string stageName,
    SourceParameters<TKey, TValue> parameters,
    Func<PolledRecord<TKey, TValue>, ConsumerPump<TKey, TValue>, TOut> build)
    : GraphStageWithMaterializedValue<SourceShape<TOut>, ConsumerControl>
{
    private readonly Outlet<TOut> _out = new("kafka.source.out");
    private readonly SourceParameters<TKey, TValue> _parameters = parameters;
    private readonly Func<PolledRecord<TKey, TValue>, ConsumerPump<TKey, TValue>, TOut> _build = build;

    public override SourceShape<TOut> Shape => new(_out);

    protected override Attributes InitialAttributes => Attributes.CreateName(stageName);

    public override ILogicAndMaterializedValue<ConsumerControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var logic = new Logic(this);
        return new LogicAndMaterializedValue<ConsumerControl>(logic, logic.Control);
    }

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly KafkaSourceStage<TKey, TValue, TOut> _stage;
        private readonly RecordQueue<PolledRecord<TKey, TValue>> _queue = new();
        private readonly ConsumerPump<TKey, TValue> _pump;
        private readonly SourceLifecycle<TKey, TValue> _lifecycle;

        public Logic(KafkaSourceStage<TKey, TValue, TOut> stage) : base(stage.Shape)
        {
            _stage = stage;
            _pump = stage._parameters.CreatePump(_ => _queue);
            _lifecycle = new SourceLifecycle<TKey, TValue>(_pump, stage._parameters.Settings.CloseTimeout);
            SetHandler(stage._out, this);
        }

        public ConsumerControl Control => _lifecycle.Control;

        public override void PreStart()
        {
            var failed = GetAsyncCallback<Exception>(FailStage);
            _lifecycle.Bind(GetAsyncCallback(() => _lifecycle.StopByControl(CompleteStage)));
            _queue.SetListener(GetAsyncCallback(OnAvailable));
            _pump.Start(new Events(failed), Log);
        }

        public override void OnPull() => TryPush();

        private void OnAvailable()
        {
            if (IsAvailable(_stage._out))
                TryPush();
        }

        private void TryPush()
        {
            while (_queue.TryDequeue(out var record))
            {
                _pump.Taken(record);
                if (!record.State.IsLive)
                    continue; // Revoked since it was fetched: the next owner emits it.
                _pump.Emitted(record);
                Push(_stage._out, _stage._build(record, _pump));
                return;
            }
        }

        public override void PostStop() => _lifecycle.PostStop();

        private sealed class Events(Action<Exception> failed) : IPumpEvents
        {
            public void Assigned(IReadOnlyList<TopicPartition> partitions) { }

            public void Revoked(IReadOnlyList<TopicPartition> partitions) { }

            public void Failed(Exception cause) => failed(cause);
        }
    }
}
