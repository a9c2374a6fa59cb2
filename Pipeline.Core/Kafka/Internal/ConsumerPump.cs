using System.Collections.Concurrent;
using Akka.Event;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Core.Kafka.Internal;

/// <summary>
/// Owns one Kafka consumer and the dedicated thread that polls it (a blocking poll must not run on the
/// stream's dispatcher). Records go into bounded per-partition buffers; while one is full the thread stops
/// fetching (a partition that stays full is paused at the broker), so memory is bounded by configuration,
/// never by the backlog. Rebalance handlers run on
/// this thread: a revoked partition's emitted records get <see cref="ConsumerSettings.WaitClosePartition"/>
/// to be committed, and afterwards no commit for that partition is ever sent.
/// </summary>
internal sealed partial class ConsumerPump<TKey, TValue> : ICommitter, IConsumerGroupMetadataSource
{
    private readonly ConsumerSettings _settings;
    private readonly Subscription _subscription;
    private readonly IDeserializer<TKey>? _keyDeserializer;
    private readonly IDeserializer<TValue>? _valueDeserializer;
    private readonly Func<TopicPartition, RecordQueue<PolledRecord<TKey, TValue>>> _queueFor;
    private ILoggingAdapter _log = NoLogger.Instance;
    private readonly ConcurrentDictionary<TopicPartition, PartitionState<PolledRecord<TKey, TValue>>> _partitions = new();
    // Only the poll thread (rebalance handlers, Enqueue) touches it: no concurrent map on the hot path.
    private readonly Dictionary<TopicPartition, DateTime> _skipBefore = new();
    private readonly object _pauseLock = new();
    private readonly object _commitLock = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly ManualResetEventSlim _space = new(true);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IPumpEvents? _events;
    private IConsumer<TKey, TValue>? _consumer;
    private Thread? _thread;
    private volatile bool _pollingStopped;
    private volatile bool _closeRequested;
    private volatile bool _abrupt;
    private int _fullBuffers;
    private long _consumed;
    private long _droppedCommits;
    private int _commitsInFlight;

    public ConsumerPump(
        ConsumerSettings settings,
        Subscription subscription,
        IDeserializer<TKey>? keyDeserializer,
        IDeserializer<TValue>? valueDeserializer,
        Func<TopicPartition, RecordQueue<PolledRecord<TKey, TValue>>> queueFor)
    {
        _settings = settings;
        _subscription = subscription;
        _keyDeserializer = keyDeserializer;
        _valueDeserializer = valueDeserializer;
        _queueFor = queueFor;
        GroupId = settings.GroupId ?? "";
    }

    public string GroupId { get; }

    /// <summary>Completes when the consumer has left the group and is closed.</summary>
    public Task Closed => _closed.Task;

    public bool IsPollingStopped => _pollingStopped;

    public IConsumerGroupMetadata GroupMetadata =>
        _consumer?.ConsumerGroupMetadata ?? throw new InvalidOperationException("The consumer has not started yet.");

    public void Start(IPumpEvents events, ILoggingAdapter log)
    {
        _events = events;
        _log = log;
        var config = _settings.ToConsumerConfig();
        _thread = new Thread(() => Run(config)) { IsBackground = true, Name = $"kafka-consumer-{GroupId}" };
        _thread.Start();
    }

    /// <summary>Stops fetching new records; the consumer stays in the group so in-flight offsets can still be committed.</summary>
    public void StopPolling()
    {
        _pollingStopped = true;
        _space.Set();
        foreach (var state in _partitions.Values)
            state.Queue.Signal();
    }

    /// <summary>Leaves the group and closes the consumer. Abrupt skips waiting for the commits of revoked partitions.</summary>
    public void Close(bool abrupt)
    {
        _abrupt |= abrupt;
        _pollingStopped = true;
        _closeRequested = true;
        _wake.Set();
        _space.Set();
        if (_thread is null)
            _closed.TrySetResult();
    }

    /// <summary>The queue belongs to the partition's current, live assignment.</summary>
    public bool IsCurrent(TopicPartition partition, RecordQueue<PolledRecord<TKey, TValue>> queue) =>
        _partitions.TryGetValue(partition, out var state) && ReferenceEquals(state.Queue, queue) && state.IsLive;

    public void Taken(in PolledRecord<TKey, TValue> record)
    {
        var state = record.State;
        var buffered = state.RemoveBuffered();
        if (buffered == _settings.PartitionBufferSize - 1)
        {
            Interlocked.Decrement(ref _fullBuffers);
            _space.Set();
        }
        if (!state.Paused || buffered > _settings.PartitionBufferSize / 2)
            return;
        lock (_pauseLock)
        {
            if (!state.Paused || !state.IsLive || _consumer is null)
                return;
            state.Paused = false;
            ResumeAtBroker(state.Partition);
        }
    }

    private void ResumeAtBroker(TopicPartition partition)
    {
        try { _consumer?.Resume([partition]); }
        catch (KafkaException e) { _log.Warning("Could not resume {0}: {1}", partition, e.Message); }
    }

    public void Emitted(in PolledRecord<TKey, TValue> record)
    {
        record.State.MarkEmitted(record.Result.Offset.Value);
        Interlocked.Increment(ref _consumed);
    }

    public Task CommitAsync(IReadOnlyList<TopicPartitionOffset> nextOffsets)
    {
        // Counted before the commit is scheduled, so a close requested from now on waits for it.
        Interlocked.Increment(ref _commitsInFlight);
        return Task.Run(() =>
        {
            try { Commit(nextOffsets); }
            finally { Interlocked.Decrement(ref _commitsInFlight); }
        });
    }

    /// <summary>Offsets committed by a producer transaction on this consumer's behalf.</summary>
    public void OnTransactionCommitted(IEnumerable<TopicPartitionOffset> nextOffsets)
    {
        foreach (var offset in nextOffsets)
        {
            if (_partitions.TryGetValue(offset.TopicPartition, out var state))
                state.MarkCommitted(offset.Offset.Value);
        }
    }

    public ConsumerMetrics Metrics()
    {
        var live = _partitions.Values.Where(s => s.IsOwned).ToList();
        var lag = new Dictionary<TopicPartition, long>();
        var consumer = _consumer;
        foreach (var state in live)
        {
            try
            {
                var high = consumer?.GetWatermarkOffsets(state.Partition).High ?? Offset.Unset;
                if (high == Offset.Unset)
                    continue;
                var next = state.LastEmitted >= 0 ? state.LastEmitted + 1 : consumer!.Position(state.Partition).Value;
                if (next >= 0)
                    lag[state.Partition] = Math.Max(0, high.Value - next);
            }
            catch (Exception e) when (e is KafkaException or ObjectDisposedException)
            {
                // Partition moving or consumer closing: no lag figure this time.
            }
        }
        return new ConsumerMetrics(live.Select(s => s.Partition).ToList(), Interlocked.Read(ref _consumed), lag, Interlocked.Read(ref _droppedCommits));
    }

    private void Run(ConsumerConfig config)
    {
        try
        {
            var builder = new ConsumerBuilder<TKey, TValue>(config)
                .SetPartitionsAssignedHandler((_, partitions) => OnAssigned(partitions))
                .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition).ToList(), lost: false))
                .SetPartitionsLostHandler((_, partitions) => OnRevoked(partitions.Select(p => p.TopicPartition).ToList(), lost: true))
                .SetErrorHandler((_, error) =>
                {
                    if (error.IsFatal)
                        _events?.Failed(new KafkaException(error));
                    else
                        _log.Warning("Kafka consumer {0}: {1}", GroupId, error.Reason);
                })
                .SetLogHandler((_, message) =>
                {
                    if (message.Level <= SyslogLevel.Warning)
                        _log.Warning("librdkafka {0}: {1}", message.Facility, message.Message);
                });
            if (_keyDeserializer is not null)
                builder.SetKeyDeserializer(_keyDeserializer);
            if (_valueDeserializer is not null)
                builder.SetValueDeserializer(_valueDeserializer);
            _consumer = builder.Build();
            _consumer.Subscribe(_subscription.Topics);
            _log.Info("Kafka source started: group {0}, {1}", GroupId, _subscription);
            Poll(_consumer);
        }
        catch (Exception e)
        {
            _events?.Failed(e);
        }
        finally
        {
            CloseConsumer();
        }
    }

    private void Poll(IConsumer<TKey, TValue> consumer)
    {
        while (!_closeRequested)
        {
            if (_pollingStopped)
            {
                _wake.Wait(_settings.PollTimeout);
                continue;
            }
            if (WaitForSpace(consumer))
                continue;
            ConsumeResult<TKey, TValue>? result;
            try
            {
                result = consumer.Consume(_settings.PollTimeout);
            }
            catch (ConsumeException e) when (e.Error.Code is ErrorCode.Local_KeyDeserialization or ErrorCode.Local_ValueDeserialization)
            {
                _pollingStopped = true;
                _events?.Failed(KafkaRecordDeserializationException.From(e));
                continue;
            }
            catch (ConsumeException e) when (!e.Error.IsFatal)
            {
                _log.Warning("Kafka consumer {0}: {1}", GroupId, e.Error.Reason);
                continue;
            }
            if (result is null || result.IsPartitionEOF)
                continue;
            Enqueue(result);
        }
    }

    /// <summary>
    /// While a live partition's buffer is full, waits for the stream to take records instead of polling.
    /// Pausing would make librdkafka discard what it prefetched for the partition and fetch it again (measured:
    /// a third of the throughput), so a partition is paused only once it stayed full for pause-after; then
    /// polling resumes for the other partitions, and so do group heartbeats and rebalances.
    /// Returns true when it waited (the caller re-checks its state before polling).
    /// </summary>
    private bool WaitForSpace(IConsumer<TKey, TValue> consumer)
    {
        if (Volatile.Read(ref _fullBuffers) <= 0)
            return false;
        var now = DateTime.UtcNow;
        var waiting = false;
        foreach (var state in _partitions.Values)
        {
            if (!state.IsLive || state.Paused || state.Buffered < _settings.PartitionBufferSize)
            {
                state.FullSince = null;
                continue;
            }
            state.FullSince ??= now;
            if (now - state.FullSince < _settings.PauseAfter)
            {
                waiting = true;
                continue;
            }
            lock (_pauseLock)
            {
                if (state.Paused || !state.IsLive)
                    continue;
                state.Paused = true;
                consumer.Pause([state.Partition]);
                // The stream may have taken the buffer down since it was seen full, before it could see the pause; then
                // no Taken call resumes the partition, so this does. (Paused is written before Buffered is read again,
                // and Taken does the opposite: one of the two sees the other's write.)
                Interlocked.MemoryBarrier();
                if (state.Buffered <= _settings.PartitionBufferSize / 2)
                {
                    state.Paused = false;
                    ResumeAtBroker(state.Partition);
                }
            }
        }
        if (!waiting)
            return false;
        _space.Reset();
        // Re-check after the reset: the stream may have taken records in between.
        if (_partitions.Values.Any(s => s.IsLive && !s.Paused && s.Buffered >= _settings.PartitionBufferSize))
            _space.Wait(_settings.PollTimeout);
        return true;
    }

    private void Enqueue(ConsumeResult<TKey, TValue> result)
    {
        if (!_partitions.TryGetValue(result.TopicPartition, out var state) || !state.IsLive)
            return; // Fetched just before its revocation; the next owner reads it again.
        if (_skipBefore.Count > 0 && _skipBefore.TryGetValue(result.TopicPartition, out var notBefore))
        {
            if (result.Message.Timestamp.UtcDateTime < notBefore)
                return;
            _skipBefore.Remove(result.TopicPartition);
        }
        if (state.AddBuffered() == _settings.PartitionBufferSize)
            Interlocked.Increment(ref _fullBuffers);
        state.Queue.Enqueue(new PolledRecord<TKey, TValue>(result, state));
    }

    private void CloseConsumer()
    {
        var consumer = _consumer;
        try
        {
            if (consumer is not null)
            {
                // Commits already asked for (the last one of a stream that failed) go out before the consumer leaves the group.
                var deadline = DateTime.UtcNow + _settings.CommitRetryDeadline;
                while (Volatile.Read(ref _commitsInFlight) > 0 && DateTime.UtcNow < deadline)
                    Thread.Sleep(5);
                // Leaving the group hands the partitions over at once instead of after the session timeout.
                consumer.Close();
                consumer.Dispose();
            }
        }
        catch (Exception e)
        {
            _log.Warning("Closing Kafka consumer {0}: {1}", GroupId, e.Message);
        }
        finally
        {
            foreach (var state in _partitions.Values)
            {
                state.Release();
                state.Queue.Signal();
            }
            _log.Info("Kafka source stopped: group {0}", GroupId);
            _closed.TrySetResult();
        }
    }
}
