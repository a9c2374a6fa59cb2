using System.Diagnostics;
using Confluent.Kafka;

namespace Pipeline.Service.Bench;

/// <summary>
/// Variant (a), the floor: a hand-written Confluent.Kafka loop on one thread. It keeps at most the producer
/// parallelism unacknowledged, and commits like the committer does: every max-batch acknowledgements or
/// every max-interval, only the offsets whose outputs were acknowledged, per partition in order. One member
/// per group, so it does not handle revocation (an application would have to).
/// </summary>
internal sealed class PlainClientVariant(BenchClients clients) : IBenchVariant
{
    public string Id => "a";

    public string Description => "Confluent.Kafka loop";

    public RunningVariant Start(string input, string output, string groupId, SteadyStateClock clock)
    {
        var stop = new CancellationTokenSource();
        var loop = Task.Factory.StartNew(() => Loop(input, output, groupId, clock, stop.Token), TaskCreationOptions.LongRunning);
        return new RunningVariant(loop, async () =>
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
        });
    }

    private void Loop(string input, string output, string groupId, SteadyStateClock clock, CancellationToken stop)
    {
        var pollTimeout = clients.Consumer.PollTimeout;
        var committer = clients.Committer;
        using var consumer = new ConsumerBuilder<string, string>(clients.ConsumerConfig(groupId)).Build();
        using var producer = new ProducerBuilder<string, string>(clients.ProducerConfig()).Build();
        using var inFlight = new SemaphoreSlim(clients.Producer.Parallelism);
        var offsets = new InOrderOffsets();
        Error? failure = null;
        var lastCommit = Stopwatch.GetTimestamp();
        consumer.Subscribe(input);
        try
        {
            while (!stop.IsCancellationRequested && failure is null)
            {
                var result = consumer.Consume(pollTimeout);
                if (result is { IsPartitionEOF: false })
                {
                    clock.MarkRecord();
                    var record = result.TopicPartitionOffset;
                    var message = new Message<string, string>
                    {
                        Key = result.Message.Key,
                        Value = BenchRecords.Transform(result.Message.Value),
                        Timestamp = result.Message.Timestamp
                    };
                    inFlight.Wait(stop);
                    offsets.Sent(record);
                    producer.Produce(output, message, report =>
                    {
                        if (report.Error.IsError)
                            failure = report.Error;
                        else
                            offsets.Acknowledged(record);
                        inFlight.Release();
                    });
                }
                if (offsets.AcknowledgedSinceTake >= committer.MaxBatch || Stopwatch.GetElapsedTime(lastCommit) >= committer.MaxInterval)
                {
                    Commit(consumer, offsets);
                    lastCommit = Stopwatch.GetTimestamp();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped while waiting for a free in-flight slot.
        }
        producer.Flush(clients.Producer.FlushTimeout);
        if (failure is not null)
            throw new KafkaException(failure);
        Commit(consumer, offsets);
        consumer.Close();
    }

    private static void Commit(IConsumer<string, string> consumer, InOrderOffsets offsets)
    {
        var committable = offsets.TakeCommittable();
        if (committable.Count > 0)
            consumer.Commit(committable);
    }
}
