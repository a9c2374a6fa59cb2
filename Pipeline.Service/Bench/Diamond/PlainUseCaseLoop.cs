using System.Diagnostics;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Pipeline.Contracts;
using Pipeline.Core.Schemas;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Core.UseCases;
using Pipeline.Service.Run;

namespace Pipeline.Service.Bench.Diamond;

/// <summary>
/// The ceiling: the same use cases' pure functions (<see cref="ConfiguredUseCase.Apply"/>, every variant) in a plain
/// Confluent.Kafka consume -> evaluate -> produce loop on one thread (<see cref="PlainLoop{TIn,TOut}"/>), with each
/// customer's state in a Dictionary and nothing persisted: no sharding, no asks, no history store, no entity rebuilds.
/// It reads Avro transactions and writes Avro feedback with the same serdes and client settings as the pipeline.
/// </summary>
internal static class PlainUseCaseLoop
{
    /// <summary>Consumes the first <paramref name="transactions"/> records of <paramref name="input"/>; returns the time from the first record to the final commit.</summary>
    public static (TimeSpan Elapsed, long Consumed) Run(RunSettings settings, ISchemaRegistryClient registry, string input, string output, string groupId, long transactions,
        CancellationToken cancellationToken)
    {
        var variants = settings.UseCases;
        var streams = settings.UseCaseStreams;
        var memories = new Dictionary<string, UseCaseMemory[]>();
        var loop = new PlainLoop<Transaction, Feedback>(
            streams.Consumer.WithGroupId(groupId).WithProperty("auto.offset.reset", "earliest").ToConsumerConfig(), streams.Producer.ToProducerConfig(),
            streams.Committer, streams.Producer.Parallelism, streams.Consumer.PollTimeout, streams.Producer.FlushTimeout,
            PipelineAvroSerdes.Deserializer(new AvroValueDecoder<Transaction>(registry)),
            PipelineAvroSerdes.Serializer(AvroValueEncoder<Feedback>.CreateAsync(registry, streams.SchemaRegistry, output, cancellationToken).GetAwaiter().GetResult()));
        long firstRecord = 0;

        IReadOnlyList<Message<string, Feedback>> Evaluate(ConsumeResult<string, Transaction> result)
        {
            if (firstRecord == 0)
                firstRecord = Stopwatch.GetTimestamp();
            var transaction = result.Message.Value.ToCardTransaction();
            if (!memories.TryGetValue(transaction.CustomerId, out var memory))
                memories[transaction.CustomerId] = memory = variants.Select(v => v.NewMemory()).ToArray();
            var customer = Core.UseCases.CustomerSettings.None(transaction.CustomerId);
            List<Message<string, Feedback>>? outputs = null;
            for (var i = 0; i < variants.Count; i++)
            {
                if (variants[i].Apply(memory[i], transaction, customer) is { } feedback)
                    (outputs ??= []).Add(new Message<string, Feedback> { Key = feedback.CustomerId, Value = UseCaseEvaluation.ToContract(feedback), Timestamp = result.Message.Timestamp });
            }
            return outputs ?? (IReadOnlyList<Message<string, Feedback>>)[];
        }

        var consumed = loop.Run(input, output, Evaluate, n => n < transactions, cancellationToken);
        return (Stopwatch.GetElapsedTime(firstRecord), consumed);
    }
}
