using System.CommandLine;
using System.Globalization;
using Akka.Actor;
using Akka.Streams;
using Pipeline.Core.DevelopmentInfrastructure.Kafka;
using Pipeline.Service.Bench;

namespace Pipeline.Service.Commands;

/// <summary>
/// <c>pipeline bench kafka</c>: throughput and hop latency of the pipeline's Kafka connector against a plain
/// Confluent.Kafka loop and Streamiz, all on one embedded cluster in this process, with every output count
/// and committed offset checked. Prints a report and writes it to a file of its own (--report; bench-results/ by default);
/// the latest results and how to read them are in docs/benchmarks.md.
/// </summary>
internal static class BenchKafkaCommand
{
    private const string InputTopic = "bench-in";

    private static readonly Option<int> Messages = new("--messages")
    {
        Description = "Records (about 200 bytes each, on 8 partitions) every variant consumes and produces in each run.",
        DefaultValueFactory = _ => 1_000_000
    };

    private static readonly Option<int> Runs = new("--runs")
    {
        Description = "Runs of every variant; the table shows the median.",
        DefaultValueFactory = _ => 3
    };

    private static readonly Option<int> LatencySeconds = new("--latency-seconds")
    {
        Description = "Seconds of latency mode (2,000 records/s through a and b side by side); 0 skips it.",
        DefaultValueFactory = _ => 30
    };

    private static readonly Option<bool> SkipStreamiz = new("--skip-streamiz")
    {
        Description = "Leave out variant c (Streamiz.Kafka.Net), which needs a few seconds to start each run."
    };

    private static readonly Option<string> Report = BenchCommandParts.Report("kafka");

    /// <summary>Adds <c>kafka</c> under the <c>bench</c> command, creating <c>bench</c> when no other benchmark did yet.</summary>
    public static void AddTo(RootCommand root)
        => BenchCommand.GetOrAdd(root).Subcommands.Add(Create());

    private static Command Create()
    {
        var command = new Command("kafka",
            "Msgs/s of consume -> transform -> produce with at-least-once commits: (a) a plain Confluent.Kafka loop, " +
            "(b) the Akka.Streams connector, (c) Streamiz; then hop latency p50/p99/p99.9 of a and b at 2,000 msgs/s.");
        CommonOptions.AddTo(command);
        command.Options.Add(Messages);
        command.Options.Add(Runs);
        command.Options.Add(LatencySeconds);
        command.Options.Add(SkipStreamiz);
        command.Options.Add(Report);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new KafkaBenchOptions(parse.GetValue(Messages), parse.GetValue(Runs),
                TimeSpan.FromSeconds(parse.GetValue(LatencySeconds)), parse.GetValue(SkipStreamiz));
            if (options.Problem() is { } problem)
            {
                Console.Error.WriteLine($"bench kafka: {problem}");
                return 2;
            }
            var config = CommonOptions.Load(parse);
            var kafkaSettings = EmbeddedKafkaSettings.Create(config.Section("pipeline.embedded-kafka"));
            var (report, verified) = await RunAsync(options, config, kafkaSettings, Console.Out, cancellationToken);
            if (report is null)
                return 1;
            var arguments = string.Create(CultureInfo.InvariantCulture,
                $"--messages {options.Messages} --runs {options.Runs} --latency-seconds {options.LatencyDuration.TotalSeconds:F0}") + (options.SkipStreamiz ? " --skip-streamiz" : "");
            return BenchCommandParts.End(parse, "kafka", arguments, BenchCommandParts.ReportFile(parse, Report, "kafka"), report, verified);
        });
        return command;
    }

    /// <summary>Runs the benchmark, printing as it goes; returns the report (its tables), or null when the input could not be kept.</summary>
    private static async Task<(string? Report, bool Verified)> RunAsync(KafkaBenchOptions options, Core.Configuration.PipelineConfig config, EmbeddedKafkaSettings kafkaSettings,
        TextWriter output, CancellationToken cancellationToken)
    {
        using var kafka = EmbeddedKafka.Start(kafkaSettings);
        var clients = BenchClients.Create(config, kafka.BootstrapServers);
        using var inspector = new TopicInspector(kafka.BootstrapServers);
        var system = ActorSystem.Create("bench", config.Root);
        try
        {
            var materializer = system.Materializer();
            IBenchVariant[] pair = [new PlainClientVariant(clients), new AkkaStreamVariant(clients, materializer)];
            IReadOnlyList<IBenchVariant> variants = options.SkipStreamiz ? pair : [.. pair, new StreamizVariant(clients)];
            output.WriteLine($"bench kafka: {options.Messages:N0} records of ~200 B on {KafkaBenchOptions.Partitions} partitions, embedded Kafka ({kafka.Brokers} brokers, in this process)");
            output.WriteLine($"client settings of a and b: {clients.Describe()}");

            kafka.CreateTopic(InputTopic, KafkaBenchOptions.Partitions);
            var fill = InputFeeder.Fill(clients, InputTopic, options.Messages);
            var input = inspector.Watermarks(InputTopic);
            output.WriteLine($"input written in {fill.TotalSeconds:F1} s ({options.Messages / fill.TotalSeconds:N0} msgs/s); {input.Retained:N0} records on {InputTopic}");
            if (input.LostRecords || input.Retained != options.Messages)
            {
                Console.Error.WriteLine(
                    $"bench kafka: the embedded broker kept {input.Retained:N0} of {options.Messages:N0} input records (per partition {string.Join(", ", input.Low.Select((low, p) => $"{input.High[p] - low:N0} of {input.High[p]:N0}"))}): " +
                    "it drops the oldest data beyond about 5 MiB or 100,000 batches per partition. Use fewer --messages.");
                return (null, false);
            }

            var samples = await new ThroughputBenchmark(kafka, inspector, variants, output).RunAsync(InputTopic, input, options.Runs, cancellationToken);
            var after = inspector.Watermarks(InputTopic);
            // The tables are printed as soon as they are known (latency mode takes a while) and kept for the report file.
            var report = new StringWriter(CultureInfo.InvariantCulture);
            var throughput = new StringWriter(CultureInfo.InvariantCulture);
            if (after.LostRecords)
                throughput.WriteLine("NOT VERIFIED: the input topic lost records to retention during the runs.");
            KafkaBenchReport.WriteThroughput(throughput, variants, samples, options.SkipStreamiz);
            output.Write(throughput.ToString());
            report.Write(throughput.ToString());
            var verified = samples.All(s => s.Verified) && !after.LostRecords;

            if (options.LatencyDuration > TimeSpan.Zero)
            {
                var latency = await new LatencyBenchmark(kafka, clients, pair, output).RunAsync(options.LatencyDuration, cancellationToken);
                var table = new StringWriter(CultureInfo.InvariantCulture);
                KafkaBenchReport.WriteLatency(table, latency, options.LatencyDuration);
                output.Write(table.ToString());
                report.Write(table.ToString());
                verified &= latency.All(l => l.Complete);
            }
            return (report.ToString(), verified);
        }
        finally
        {
            await system.Terminate();
        }
    }
}
