using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;

namespace Pipeline.Service.Bench;

/// <summary>
/// Variant (c), for contrast: Streamiz.Kafka.Net (a Kafka Streams port) running the same stateless
/// mapValues with its at-least-once guarantee, one stream thread, and the shared fetch wait, linger,
/// compression and commit interval. Its state directory is a scratch directory removed afterwards.
/// </summary>
internal sealed class StreamizVariant(BenchClients clients) : IBenchVariant
{
    public string Id => "c";

    public string Description => "Streamiz.Kafka.Net 1.8.2";

    public RunningVariant Start(string input, string output, string groupId, SteadyStateClock clock)
    {
        var stateDir = Directory.CreateTempSubdirectory("pipeline-bench-streamiz-").FullName;
        var config = new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = groupId,
            BootstrapServers = clients.Consumer.BootstrapServers,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            StateDir = stateDir,
            Logger = NullLoggerFactory.Instance,
            CommitIntervalMs = (long)clients.Committer.MaxInterval.TotalMilliseconds,
            CompressionType = CompressionType.Lz4
        };
        if (clients.Consumer.Properties.TryGetValue("fetch.wait.max.ms", out var fetchWait))
            config.FetchWaitMaxMs = int.Parse(fetchWait, CultureInfo.InvariantCulture);
        if (clients.Producer.Properties.TryGetValue("linger.ms", out var linger))
            config.LingerMs = double.Parse(linger, CultureInfo.InvariantCulture);

        var builder = new StreamBuilder();
        builder.Stream<string, string>(input)
            .MapValues((value, _) =>
            {
                clock.MarkRecord();
                return BenchRecords.Transform(value);
            })
            .To(output);
        var stream = new KafkaStream(builder.Build(), config);
        var started = stream.StartAsync();
        return new RunningVariant(started, async () =>
        {
            await started;
            // Closing commits the offsets of everything processed (at-least-once guarantee).
            await Task.Run(stream.Dispose);
            Directory.Delete(stateDir, recursive: true);
        });
    }
}
