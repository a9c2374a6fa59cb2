using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Pipeline.Core.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Messages;
using Pipeline.Core.Kafka.Settings;

namespace Pipeline.Tests.Support;

/// <summary>
/// The at-least-once shape every stage of the pipeline has: committable source -> one output per input
/// through the producer flow -> batched commits. Counts records whose output was acknowledged.
/// </summary>
public sealed class PassThroughRun
{
    private long _acknowledged;

    private PassThroughRun(ConsumerControl control, Task<Done> completion)
    {
        Control = control;
        Completion = completion;
    }

    public ConsumerControl Control { get; private set; }

    public Task<Done> Completion { get; private set; }

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public static PassThroughRun Start(
        string bootstrap, string input, string output, string group, IMaterializer materializer,
        int perSecond = 1_000_000, Subscription? subscription = null, Func<ConsumerSettings, ConsumerSettings>? configure = null)
    {
        var consumer = KafkaTestSettings.Consumer(bootstrap, group);
        if (configure is not null)
            consumer = configure(consumer);
        var run = new PassThroughRun(null!, null!);
        var (control, completion) = KafkaSource.CommittableSource<string, string>(consumer, subscription ?? Subscription.ForTopics(input))
            .Throttle(perSecond, TimeSpan.FromSeconds(1), Math.Max(1, perSecond / 20), ThrottleMode.Shaping)
            .Select(message => ProducerMessage.Single<string, string, ICommittable>(
                output,
                new Message<string, string> { Key = message.Record.Message.Key, Value = message.Record.Message.Value },
                message.CommittableOffset))
            .Via(KafkaProducer.FlowWithContext<string, string, ICommittable>(KafkaTestSettings.Producer(bootstrap)))
            .Select(offset =>
            {
                Interlocked.Increment(ref run._acknowledged);
                return offset;
            })
            .ToMaterialized(KafkaCommitter.Sink(KafkaTestSettings.Committer().WithMaxInterval(TimeSpan.FromMilliseconds(200))), Keep.Both)
            .Run(materializer);
        run.Control = control;
        run.Completion = completion;
        return run;
    }
}
