using Akka.Event;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Core.Kafka.Internal;

/// <summary>
/// The rebalance side of the pump: assignment (with the subscription's start position), revocation and
/// loss. These run on the poll thread, inside the consumer's poll or close.
/// </summary>
internal sealed partial class ConsumerPump<TKey, TValue>
{
    private IEnumerable<TopicPartitionOffset> OnAssigned(List<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            var state = new PartitionState<PolledRecord<TKey, TValue>>(partition, _queueFor(partition));
            if (_partitions.TryGetValue(partition, out var previous))
                previous.Release();
            _partitions[partition] = state;
        }
        var offsets = StartOffsets(partitions);
        _log.Info("Kafka source {0}: assigned {1}", GroupId, Describe(partitions));
        _events?.Assigned(partitions);
        Notify(listener => listener.OnAssigned(partitions));
        return offsets;
    }

    private IEnumerable<TopicPartitionOffset> StartOffsets(List<TopicPartition> partitions)
    {
        switch (_subscription.Start)
        {
            case StartPosition.BeginningPosition:
                return partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning));
            case StartPosition.EndPosition:
                return partitions.Select(p => new TopicPartitionOffset(p, Offset.End));
            case StartPosition.TimestampPosition at:
                var wanted = partitions.Select(p => new TopicPartitionTimestamp(p, new Timestamp(at.Time))).ToList();
                return _consumer!.OffsetsForTimes(wanted, _settings.CloseTimeout).Select(found =>
                {
                    if (found.Offset.Value >= 0)
                        return found;
                    // No offset from the broker: either nothing that recent exists, or the broker cannot look
                    // timestamps up (the embedded one cannot). Reading from the start and skipping older
                    // records is right in both cases.
                    _skipBefore[found.TopicPartition] = at.Time.UtcDateTime;
                    return new TopicPartitionOffset(found.TopicPartition, Offset.Beginning);
                }).ToList();
            default:
                return partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset));
        }
    }

    private void OnRevoked(List<TopicPartition> partitions, bool lost)
    {
        var states = partitions
            .Select(p => _partitions.TryGetValue(p, out var s) ? s : null)
            .OfType<PartitionState<PolledRecord<TKey, TValue>>>()
            .ToList();
        foreach (var state in states)
        {
            state.BeginRevoke();
            state.Queue.Signal();
        }

        if (!lost && !_abrupt && _settings.WaitClosePartition > TimeSpan.Zero)
        {
            var deadline = DateTime.UtcNow + _settings.WaitClosePartition;
            while (DateTime.UtcNow < deadline && !_abrupt && states.Any(s => !s.EmittedAllCommitted))
                Thread.Sleep(5);
        }

        var uncommitted = states.Count(s => !s.EmittedAllCommitted);
        // Taking the commit lock waits for a commit in progress; after Release no commit includes these partitions.
        // The wait is bounded: with the coordinator unreachable librdkafka holds a commit back for at most
        // session.timeout.ms, then fails it (Local_WaitCoord), and the retry loop releases the lock between attempts.
        lock (_commitLock)
        {
            lock (_pauseLock)
            {
                foreach (var state in states)
                {
                    state.Release();
                    // librdkafka keeps a partition paused across revocation, loss and reassignment; one left paused
                    // here would never be fetched again when it comes back. It is still assigned, so resume it now.
                    if (state.Paused)
                        ResumeAtBroker(state.Partition);
                    state.Paused = false;
                    _partitions.TryRemove(new KeyValuePair<TopicPartition, PartitionState<PolledRecord<TKey, TValue>>>(state.Partition, state));
                    state.Queue.Signal();
                }
            }
        }

        _log.Info("Kafka source {0}: {1} {2}{3}", GroupId, lost ? "lost" : "revoked", Describe(partitions),
            uncommitted > 0 ? $" ({uncommitted} partitions had emitted records not yet committed; they are dropped from commits and re-read by the next owner)" : "");
        _events?.Revoked(partitions);
        Notify(listener =>
        {
            if (lost) listener.OnLost(partitions);
            else listener.OnRevoked(partitions);
        });
    }

    private void Notify(Action<IPartitionEventListener> call)
    {
        if (_subscription.Listener is null)
            return;
        try { call(_subscription.Listener); }
        catch (Exception e) { _log.Warning("Partition event listener threw {0}: {1}", e.GetType().Name, e.Message); }
    }

    private static string Describe(IEnumerable<TopicPartition> partitions) =>
        string.Join(", ", partitions.GroupBy(p => p.Topic).Select(g => $"{g.Key}[{string.Join(",", g.Select(p => p.Partition.Value).Order())}]"));
}
