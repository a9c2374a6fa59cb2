using Akka.Event;
using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Internal;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Core.Kafka.Stages;

/// <summary>
/// Produces inside a Kafka transaction and, every commit interval, waits for the records in flight, adds
/// the consumed offsets to the transaction and commits it: outputs and offsets become visible together.
/// Any failure aborts the open transaction (read_committed consumers never see its records) and fails the
/// stage; the stream then restarts from the last committed offsets.
/// </summary>
internal sealed class TransactionalProducerStage<TKey, TValue> : GraphStage<FlowShape<Envelope<TKey, TValue, PartitionOffset>, ProducerResults<TKey, TValue, PartitionOffset>>>
{
    private readonly ProducerSettings _settings;
    private readonly TransactionalSettings _transactional;
    private readonly Func<IProducer<TKey, TValue>> _createProducer;
    private readonly Inlet<Envelope<TKey, TValue, PartitionOffset>> _in = new("kafka.transactional.in");
    private readonly Outlet<ProducerResults<TKey, TValue, PartitionOffset>> _out = new("kafka.transactional.out");

    public TransactionalProducerStage(ProducerSettings settings, TransactionalSettings transactional, Func<IProducer<TKey, TValue>> createProducer)
    {
        _settings = settings;
        _transactional = transactional;
        _createProducer = createProducer;
        Shape = new FlowShape<Envelope<TKey, TValue, PartitionOffset>, ProducerResults<TKey, TValue, PartitionOffset>>(_in, _out);
    }

    public override FlowShape<Envelope<TKey, TValue, PartitionOffset>, ProducerResults<TKey, TValue, PartitionOffset>> Shape { get; }

    protected override Attributes InitialAttributes => Attributes.CreateName("kafka-transactional-producer");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : TimerGraphStageLogic
    {
        private const string CommitTimer = "transaction-commit";
        private readonly TransactionalProducerStage<TKey, TValue> _stage;
        private readonly Dictionary<TopicPartition, long> _offsets = new();
        private IConsumerGroupMetadataSource? _group;
        private OrderedDeliveries<TKey, TValue, PartitionOffset>? _deliveries;
        private IProducer<TKey, TValue>? _producer;
        private bool _ready;
        private bool _transactionOpen;
        private bool _committing;
        private bool _commitDue;
        private bool _upstreamFinished;

        public Logic(TransactionalProducerStage<TKey, TValue> stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._in, onPush: OnPush, onUpstreamFinish: () =>
            {
                _upstreamFinished = true;
                _commitDue = true;
                Advance();
            });
            SetHandler(stage._out, onPull: Advance);
        }

        public override void PreStart()
        {
            _deliveries = new OrderedDeliveries<TKey, TValue, PartitionOffset>(GetAsyncCallback(OnReports));
            _producer = _stage._createProducer();
            var initialised = GetAsyncCallback<Exception?>(error =>
            {
                if (error is not null)
                {
                    FailStage(new KafkaException(new Confluent.Kafka.Error(ErrorCode.Local_Fail,
                        $"Could not initialise Kafka transactions: {error.Message}. The brokers must support transactions (transaction.state.log.* settings)."), error));
                    return;
                }
                _ready = true;
                ScheduleRepeatedly(CommitTimer, _stage._transactional.CommitInterval);
                Advance();
            });
            var producer = _producer;
            var timeout = _stage._transactional.TransactionTimeout;
            Task.Run(() => producer.InitTransactions(timeout)).ContinueWith(t => initialised(t.Exception?.GetBaseException()));
        }

        private void OnPush()
        {
            var envelope = Grab(_stage._in);
            if (!_transactionOpen)
            {
                _producer!.BeginTransaction();
                _transactionOpen = true;
            }
            var offset = envelope.PassThrough;
            _group ??= offset.Group;
            _offsets[offset.Offset.TopicPartition] = offset.Offset.Offset.Value;
            var refused = _deliveries!.Send(_producer!, envelope);
            if (refused is not null)
                FailStage(refused);
            else
                Advance();
        }

        private void OnReports()
        {
            var failure = _deliveries!.ApplyReports();
            if (failure is not null)
                FailStage(failure);
            else
                Advance();
        }

        protected override void OnTimer(object timerKey)
        {
            _commitDue = true;
            Advance();
        }

        private void Advance()
        {
            if (!_ready || _committing)
                return;
            var deliveries = _deliveries!;
            while (IsAvailable(_stage._out) && deliveries.TryTakeCompleted(out var results))
                Push(_stage._out, results);

            if (_commitDue && deliveries.Unacknowledged == 0 && deliveries.Count == 0)
            {
                _commitDue = false;
                if (_transactionOpen)
                {
                    Commit();
                    return;
                }
                if (_upstreamFinished)
                {
                    CompleteStage();
                    return;
                }
            }
            // While a commit is due, stop taking input so the transaction can close.
            if (!_commitDue && !_upstreamFinished && !HasBeenPulled(_stage._in) && deliveries.Count < _stage._settings.Parallelism)
                Pull(_stage._in);
        }

        private void Commit()
        {
            _committing = true;
            var producer = _producer!;
            var group = _group!;
            var offsets = _offsets.Select(kv => new TopicPartitionOffset(kv.Key, new Offset(kv.Value + 1))).ToList();
            var timeout = _stage._transactional.TransactionTimeout;
            var committed = GetAsyncCallback<Exception?>(error =>
            {
                _committing = false;
                if (error is not null)
                {
                    FailStage(error);
                    return;
                }
                _transactionOpen = false;
                _offsets.Clear();
                group.OnTransactionCommitted(offsets);
                if (_upstreamFinished && _deliveries!.Count == 0)
                    CompleteStage();
                else
                    Advance();
            });
            Task.Run(() =>
            {
                producer.SendOffsetsToTransaction(offsets, group.GroupMetadata, timeout);
                producer.CommitTransaction(timeout);
            }).ContinueWith(t => committed(t.Exception?.GetBaseException()));
        }

        public override void PostStop()
        {
            if (_producer is null)
                return;
            if (_transactionOpen)
            {
                try
                {
                    _producer.AbortTransaction(_stage._transactional.TransactionTimeout);
                    Log.Info("Aborted the open Kafka transaction; its records stay invisible to read_committed consumers.");
                }
                catch (KafkaException e)
                {
                    Log.Warning("Aborting the Kafka transaction failed ({0}); the broker aborts it after transaction.timeout.ms.", e.Message);
                }
            }
            _producer.Dispose();
        }
    }
}
