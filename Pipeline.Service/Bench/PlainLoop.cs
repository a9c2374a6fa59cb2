using System.Diagnostics;
using Confluent.Kafka;

namespace Pipeline.Service.Bench;

/// <summary>
/// A hand-written Confluent.Kafka consume -> transform -> produce loop on the calling thread, with at-least-once
/// commits: at most <c>parallelism</c> outputs unacknowledged, and every max-batch acknowledged inputs or every
/// max-interval it commits only the offsets whose outputs were all acknowledged, per partition in order. One
/// member per group, so it does not handle revocation (an application would have to).
/// </summary>
internal sealed class PlainLoop<TIn, TOut>(
    ConsumerConfig consumerConfig, ProducerConfig producerConfig, Pipeline.Core.Kafka.Settings.CommitterSettings committer,
    int parallelism, TimeSpan pollTimeout, TimeSpan flushTimeout,
    IDeserializer<TIn>? deserializer = null, ISerializer<TOut>? serializer = null)
{
    /// <summary>
    /// Consumes <paramref name="input"/> while <paramref name="more"/> (given the records consumed so far) holds and
    /// <paramref name="stop"/> is not cancelled, writes what <paramref name="transform"/> returns to <paramref name="output"/>,
    /// then flushes, commits and closes. Returns the records consumed.
    /// </summary>
    public long Run(string input, string output, Func<ConsumeResult<string, TIn>, IReadOnlyList<Message<string, TOut>>> transform,
        Func<long, bool> more, CancellationToken stop)
    {
        var consumerBuilder = new ConsumerBuilder<string, TIn>(consumerConfig);
        if (deserializer is not null)
            consumerBuilder.SetValueDeserializer(deserializer);
        var producerBuilder = new ProducerBuilder<string, TOut>(producerConfig);
        if (serializer is not null)
            producerBuilder.SetValueSerializer(serializer);
        using var consumer = consumerBuilder.Build();
        using var producer = producerBuilder.Build();
        using var inFlight = new SemaphoreSlim(parallelism);
        var offsets = new InOrderOffsets();
        Error? failure = null;
        long consumed = 0;
        var lastCommit = Stopwatch.GetTimestamp();
        consumer.Subscribe(input);
        try
        {
            while (more(consumed) && !stop.IsCancellationRequested && failure is null)
            {
                var result = consumer.Consume(pollTimeout);
                if (result is { IsPartitionEOF: false })
                {
                    consumed++;
                    var record = result.TopicPartitionOffset;
                    var outputs = transform(result);
                    offsets.Sent(record);
                    if (outputs.Count == 0)
                        offsets.Acknowledged(record);
                    var pending = outputs.Count;
                    foreach (var message in outputs)
                    {
                        inFlight.Wait(stop);
                        producer.Produce(output, message, report =>
                        {
                            if (report.Error.IsError)
                                failure = report.Error;
                            else if (Interlocked.Decrement(ref pending) == 0)
                                offsets.Acknowledged(record);
                            inFlight.Release();
                        });
                    }
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
        producer.Flush(flushTimeout);
        if (failure is not null)
            throw new KafkaException(failure);
        Commit(consumer, offsets);
        consumer.Close();
        return consumed;
    }

    private static void Commit(IConsumer<string, TIn> consumer, InOrderOffsets offsets)
    {
        var committable = offsets.TakeCommittable();
        if (committable.Count > 0)
            consumer.Commit(committable);
    }
}
