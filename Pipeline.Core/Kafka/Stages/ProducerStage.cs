using Akka.Event;
using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Internal;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Core.Kafka.Stages;

/// <summary>
/// Sends each envelope's records and emits its pass-through, in input order, only once Kafka acknowledged
/// every record of it. At most <see cref="ProducerSettings.Parallelism"/> records are unacknowledged at once.
/// A failed delivery fails the stage: nothing after it is emitted, so nothing after it gets committed.
/// </summary>
internal sealed class ProducerStage<TKey, TValue, TPass> : GraphStage<FlowShape<Envelope<TKey, TValue, TPass>, ProducerResults<TKey, TValue, TPass>>>
{
    private readonly ProducerSettings _settings;
    private readonly Func<IProducer<TKey, TValue>> _createProducer;
    private readonly bool _ownsProducer;
    private readonly Inlet<Envelope<TKey, TValue, TPass>> _in = new("kafka.producer.in");
    private readonly Outlet<ProducerResults<TKey, TValue, TPass>> _out = new("kafka.producer.out");

    public ProducerStage(ProducerSettings settings, Func<IProducer<TKey, TValue>> createProducer, bool ownsProducer)
    {
        _settings = settings;
        _createProducer = createProducer;
        _ownsProducer = ownsProducer;
        Shape = new FlowShape<Envelope<TKey, TValue, TPass>, ProducerResults<TKey, TValue, TPass>>(_in, _out);
    }

    public override FlowShape<Envelope<TKey, TValue, TPass>, ProducerResults<TKey, TValue, TPass>> Shape { get; }

    protected override Attributes InitialAttributes => Attributes.CreateName("kafka-producer");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : GraphStageLogic
    {
        private readonly ProducerStage<TKey, TValue, TPass> _stage;
        private OrderedDeliveries<TKey, TValue, TPass>? _deliveries;
        private IProducer<TKey, TValue>? _producer;
        private bool _upstreamFinished;
        private bool _failed;

        public Logic(ProducerStage<TKey, TValue, TPass> stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._in, onPush: OnPush, onUpstreamFinish: () =>
            {
                _upstreamFinished = true;
                EmitCompleted();
            });
            SetHandler(stage._out, onPull: EmitCompleted);
        }

        public override void PreStart()
        {
            _deliveries = new OrderedDeliveries<TKey, TValue, TPass>(GetAsyncCallback(OnReports));
            _producer = _stage._createProducer();
            Pull(_stage._in);
        }

        private void OnPush()
        {
            var refused = _deliveries!.Send(_producer!, Grab(_stage._in));
            if (refused is not null)
                Fail(refused);
            else
                EmitCompleted();
        }

        private void OnReports()
        {
            var failure = _deliveries!.ApplyReports();
            if (failure is not null)
                Fail(failure);
            else
                EmitCompleted();
        }

        private void EmitCompleted()
        {
            var deliveries = _deliveries!;
            while (IsAvailable(_stage._out) && deliveries.TryTakeCompleted(out var results))
                Push(_stage._out, results);
            if (_upstreamFinished)
            {
                if (deliveries.Count == 0)
                    CompleteStage();
                return;
            }
            if (!HasBeenPulled(_stage._in) && deliveries.Unacknowledged < _stage._settings.Parallelism && deliveries.Count < _stage._settings.Parallelism)
                Pull(_stage._in);
        }

        private void Fail(Exception cause)
        {
            _failed = true;
            FailStage(cause);
        }

        public override void PostStop()
        {
            if (_producer is null || !_stage._ownsProducer)
                return;
            try
            {
                // After a delivery failure the remaining sends are moot: don't hold the stop for flush-timeout.
                if (!_failed)
                    _producer.Flush(_stage._settings.FlushTimeout);
            }
            catch (KafkaException e)
            {
                Log.Warning("Flushing the Kafka producer: {0}", e.Message);
            }
            _producer.Dispose();
        }
    }
}
