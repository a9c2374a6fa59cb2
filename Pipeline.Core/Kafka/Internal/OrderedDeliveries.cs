using System.Collections.Concurrent;
using Confluent.Kafka;
using Pipeline.Core.Kafka.Messages;

namespace Pipeline.Core.Kafka.Internal;

/// <summary>
/// The envelopes a producer stage has sent and not yet emitted, in input order, with their delivery
/// reports. Reports arrive on librdkafka's thread; the stage is woken once per burst, not once per record.
/// </summary>
internal sealed class OrderedDeliveries<TKey, TValue, TPass>(Action wakeStage)
{
    private readonly Queue<InFlight> _inFlight = new();
    private readonly ConcurrentQueue<Delivery> _reports = new();
    private int _wakeScheduled;

    /// <summary>Envelopes sent (or passed through) and not yet emitted.</summary>
    public int Count => _inFlight.Count;

    /// <summary>Records sent and not yet acknowledged.</summary>
    public int Unacknowledged { get; private set; }

    /// <summary>Sends the envelope's records; returns the error that stopped it, if the producer refused one.</summary>
    public KafkaProduceException? Send(IProducer<TKey, TValue> producer, Envelope<TKey, TValue, TPass> envelope)
    {
        switch (envelope)
        {
            case SingleMessage<TKey, TValue, TPass> single:
                var entry = new InFlight(envelope, 1);
                _inFlight.Enqueue(entry);
                return Produce(producer, entry, 0, single.Topic, single.Message);
            case MultiMessage<TKey, TValue, TPass> multi:
                var entries = new InFlight(envelope, multi.Messages.Count);
                _inFlight.Enqueue(entries);
                for (var i = 0; i < multi.Messages.Count; i++)
                {
                    if (Produce(producer, entries, i, multi.Messages[i].Topic, multi.Messages[i].Message) is { } refused)
                        return refused;
                }
                return null;
            default:
                _inFlight.Enqueue(new InFlight(envelope, 0));
                return null;
        }
    }

    private KafkaProduceException? Produce(IProducer<TKey, TValue> producer, InFlight entry, int index, string topic, Message<TKey, TValue> message)
    {
        try
        {
            producer.Produce(topic, message, report => OnReport(new Delivery(entry, index, report)));
            Unacknowledged++;
            return null;
        }
        catch (ProduceException<TKey, TValue> e)
        {
            return new KafkaProduceException(
                $"Kafka refused a record for topic {topic} before sending it: {e.Error.Reason}. " +
                "Check the record (size, serialisation) and the producer settings.", e.Error, e) { PassThrough = entry.Envelope.PassThrough };
        }
    }

    /// <summary>Applies the reports received so far; returns the first delivery failure, if any.</summary>
    public KafkaProduceException? ApplyReports()
    {
        Volatile.Write(ref _wakeScheduled, 0);
        while (_reports.TryDequeue(out var delivery))
        {
            var report = delivery.Report;
            if (report.Error.IsError)
            {
                return new KafkaProduceException(
                    $"Kafka did not acknowledge a record for {report.TopicPartition}: {report.Error.Reason} ({report.Error.Code}). " +
                    "The stream stops before committing anything after it; check the broker and the producer settings, then restart.",
                    report.Error) { PassThrough = delivery.Entry.Envelope.PassThrough };
            }
            Unacknowledged--;
            delivery.Entry.Deliveries[delivery.Index] = report;
            delivery.Entry.Pending--;
        }
        return null;
    }

    /// <summary>Takes the oldest envelope if all its records are acknowledged.</summary>
    public bool TryTakeCompleted(out ProducerResults<TKey, TValue, TPass> results)
    {
        if (_inFlight.Count > 0 && _inFlight.Peek().Pending == 0)
        {
            var done = _inFlight.Dequeue();
            results = new ProducerResults<TKey, TValue, TPass>(done.Deliveries, done.Envelope.PassThrough);
            return true;
        }
        results = null!;
        return false;
    }

    private void OnReport(Delivery delivery)
    {
        _reports.Enqueue(delivery);
        if (Interlocked.Exchange(ref _wakeScheduled, 1) == 0)
            wakeStage();
    }

    private sealed class InFlight(Envelope<TKey, TValue, TPass> envelope, int records)
    {
        public Envelope<TKey, TValue, TPass> Envelope { get; } = envelope;
        public DeliveryResult<TKey, TValue>[] Deliveries { get; } = new DeliveryResult<TKey, TValue>[records];
        public int Pending { get; set; } = records;
    }

    private readonly record struct Delivery(InFlight Entry, int Index, DeliveryReport<TKey, TValue> Report);
}
