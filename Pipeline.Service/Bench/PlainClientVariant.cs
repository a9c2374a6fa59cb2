using Confluent.Kafka;

namespace Pipeline.Service.Bench;

/// <summary>
/// Variant (a), the floor: a hand-written Confluent.Kafka loop on one thread (<see cref="PlainLoop{TIn,TOut}"/>),
/// with the same client settings and commit rhythm as the connector.
/// </summary>
internal sealed class PlainClientVariant(BenchClients clients) : IBenchVariant
{
    public string Id => "a";

    public string Description => "Confluent.Kafka loop";

    public RunningVariant Start(string input, string output, string groupId, SteadyStateClock clock)
    {
        var stop = new CancellationTokenSource();
        var plain = new PlainLoop<string, string>(clients.ConsumerConfig(groupId), clients.ProducerConfig(), clients.Committer,
            clients.Producer.Parallelism, clients.Consumer.PollTimeout, clients.Producer.FlushTimeout);
        var loop = Task.Factory.StartNew(() => plain.Run(input, output, result =>
        {
            clock.MarkRecord();
            return [new Message<string, string> { Key = result.Message.Key, Value = BenchRecords.Transform(result.Message.Value), Timestamp = result.Message.Timestamp }];
        }, _ => true, stop.Token), TaskCreationOptions.LongRunning);
        return new RunningVariant(loop, async () =>
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
        });
    }
}
