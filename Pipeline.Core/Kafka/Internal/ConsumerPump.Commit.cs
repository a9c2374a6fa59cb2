using Akka.Event;
using Confluent.Kafka;

namespace Pipeline.Core.Kafka.Internal;

/// <summary>The commit side of the pump: offsets committed for partitions this consumer still owns, with retries.</summary>
internal sealed partial class ConsumerPump<TKey, TValue>
{
    // Retriable failures (coordinator unreachable, rebalance, a generation lost with the session) are retried
    // with backoff until commit-retry-deadline. The lock is released between attempts so a revocation or a
    // loss can proceed; each attempt commits only the partitions still owned, so offsets of partitions taken
    // away in between are dropped (their records are read again by the next owner), never committed.
    private void Commit(IReadOnlyList<TopicPartitionOffset> nextOffsets)
    {
        var deadline = DateTime.UtcNow + _settings.CommitRetryDeadline;
        var backoff = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            lock (_commitLock)
            {
                var consumer = _consumer ?? throw new KafkaCommitException("Cannot commit: the consumer has not started.");
                // A commit never moves an offset back: two commits in flight (a batch and the final one of a failed stream)
                // may take this lock in either order.
                var owned = nextOffsets.Where(o => _partitions.TryGetValue(o.TopicPartition, out var s) && s.IsOwned && o.Offset.Value > s.Committed).ToList();
                try
                {
                    if (owned.Count > 0)
                    {
                        consumer.Commit(owned);
                        foreach (var offset in owned)
                        {
                            if (_partitions.TryGetValue(offset.TopicPartition, out var state))
                                state.MarkCommitted(offset.Offset.Value);
                        }
                    }
                    Interlocked.Add(ref _droppedCommits, nextOffsets.Count - owned.Count);
                    return;
                }
                catch (KafkaException e) when (IsRetriable(e.Error) && DateTime.UtcNow < deadline)
                {
                    _log.Warning("Commit for group {0} failed ({1}); retry {2} in {3} ms", GroupId, e.Error.Reason, attempt, (int)backoff.TotalMilliseconds);
                }
                catch (Exception e) when (e is KafkaException or ObjectDisposedException or InvalidOperationException)
                {
                    throw new KafkaCommitException($"Committing offsets for group {GroupId} failed: {e.Message}. " +
                        "The stream stops without acknowledging further records; restarting resumes from the last committed offsets.", e);
                }
            }
            Thread.Sleep(backoff);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    private static bool IsRetriable(Confluent.Kafka.Error error) => error.Code is ErrorCode.RebalanceInProgress or ErrorCode.RequestTimedOut
        or ErrorCode.NotCoordinatorForGroup or ErrorCode.GroupLoadInProgress or ErrorCode.Local_TimedOut or ErrorCode.Local_Transport
        or ErrorCode.GroupCoordinatorNotAvailable or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_WaitCoord
        or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId;
}
