using System.Collections.Concurrent;
using Akka.Event;
using Confluent.Kafka;

namespace Pipeline.Core.Hosting;

/// <summary>
/// How often a stream failed on each input record, kept across the stream's restarts (one instance per stream, living as
/// long as the node). A stream that fails on a record throws <see cref="RecordFailedException"/> naming it; its supervisor
/// counts it here (<see cref="Failed"/>). When the restarted stream reads a record that failed it
/// <see cref="PoisonAfter"/> times, <see cref="Check"/> says so and the stream sends it to the dead letters with reason
/// <c>poison</c> instead of processing it, and goes on. Failures that name no record (the broker or the store unreachable)
/// are not counted: they are no record's fault. A record is forgotten once it is done (<see cref="Done"/>), so only the
/// records that failed and are still ahead of the stream are kept.
/// </summary>
public sealed class PoisonRecords(string stream, int poisonAfter, ILoggingAdapter log)
{
    private readonly ConcurrentDictionary<TopicPartitionOffset, (int Failures, string LastFailure)> _failures = new();

    public int PoisonAfter { get; } = poisonAfter;

    /// <summary>Counts a failure of the stream against the record it names, if it names one.</summary>
    public void Failed(Exception failure)
    {
        if (Find(failure) is not { } failed)
            return;
        var message = failed.InnerException?.Message ?? failed.Message;
        var (failures, _) = _failures.AddOrUpdate(failed.Position, (1, message), (_, previous) => (previous.Failures + 1, message));
        log.Warning("Stream {0} failed on the record at {1} [{2}] @{3} ({4} of {5} failures before it goes to the dead letters as poison)",
            stream, failed.Position.Topic, failed.Position.Partition.Value, failed.Position.Offset.Value, failures, PoisonAfter);
    }

    /// <summary>The last failure's message when the record at <paramref name="position"/> failed the stream often enough to be poison; otherwise null.</summary>
    public string? Check(TopicPartitionOffset position) =>
        !_failures.IsEmpty && _failures.TryGetValue(position, out var entry) && entry.Failures >= PoisonAfter
            ? $"The stream {stream} failed {entry.Failures} times on this record; the last failure: {entry.LastFailure}"
            : null;

    /// <summary>The record's outputs are acknowledged (its poison dead letter, if it was one): forgets it, and logs a poison record once.</summary>
    public void Done(TopicPartitionOffset position)
    {
        if (_failures.IsEmpty || !_failures.TryRemove(position, out var entry) || entry.Failures < PoisonAfter)
            return;
        log.Warning("Stream {0} sent the record at {1} [{2}] @{3} to the dead letters as poison after {4} failures; the last: {5}",
            stream, position.Topic, position.Partition.Value, position.Offset.Value, entry.Failures, entry.LastFailure);
    }

    private static RecordFailedException? Find(Exception? failure) => failure switch
    {
        null => null,
        RecordFailedException failed => failed,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Find).FirstOrDefault(f => f is not null),
        _ => Find(failure.InnerException)
    };
}
