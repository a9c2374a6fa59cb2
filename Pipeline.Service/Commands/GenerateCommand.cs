using System.CommandLine;
using System.Diagnostics;
using Akka.Configuration;
using Confluent.Kafka;
using Pipeline.Core;
using Pipeline.Core.Configuration;
using Pipeline.Core.Generator;

namespace Pipeline.Service.Commands;

/// <summary>
/// <c>pipeline generate</c>: writes synthetic raw records to <c>transactions.raw</c> of a running Kafka at
/// a steady rate, and optionally the ground truth of what it injected, for load and quality tests.
/// </summary>
internal static class GenerateCommand
{
    private static readonly Option<int?> Rate = new("--rate") { Description = "Records per second (default: pipeline.generator.rate)." };
    private static readonly Option<int?> Customers = new("--customers") { Description = "Number of synthetic customers (default: pipeline.generator.customers)." };
    private static readonly Option<int?> Seed = new("--seed") { Description = "Seed; the same seed on the same day gives the same records (default: pipeline.generator.seed)." };
    private static readonly Option<string?> Duration = new("--duration") { Description = "Stop after this long, e.g. 30s, 5m or 1h (default: until Ctrl-C)." };
    private static readonly Option<string?> TruthFile = new("--truth-file") { Description = "Write the injected behaviours as JSON lines to this file." };
    private static readonly Option<string?> BootstrapServers = new("--bootstrap-servers")
    {
        Description = "Kafka brokers, e.g. the address printed by `pipeline infra` (default: pipeline.kafka.bootstrap-servers)."
    };

    public static Command Create()
    {
        var command = new Command("generate", "Write synthetic card transactions to the raw topic at a steady rate, with their ground truth.");
        foreach (var option in new Option[] { Rate, Customers, Seed, Duration, TruthFile, BootstrapServers })
            command.Options.Add(option);
        CommonOptions.AddTo(command);
        command.SetAction(async (parse, _) =>
        {
            var config = CommonOptions.Load(parse);
            var settings = GeneratorSettings.Create(config.Section("pipeline.generator"), DateTimeOffset.UtcNow);
            settings = settings with
            {
                Rate = Positive(parse.GetValue(Rate), "--rate") ?? settings.Rate,
                Customers = Positive(parse.GetValue(Customers), "--customers") ?? settings.Customers,
                Seed = parse.GetValue(Seed) ?? settings.Seed
            };
            var duration = ParseDuration(parse.GetValue(Duration));
            var servers = parse.GetValue(BootstrapServers) ?? config.Section("pipeline.kafka").GetString("bootstrap-servers");
            if (servers == "embedded")
                throw new ConfigurationError(
                    "`pipeline generate` needs a running Kafka: start one with `pipeline infra` and pass the printed address " +
                    "with --bootstrap-servers, or set pipeline.kafka.bootstrap-servers.");
            var topic = TopicNames.Create(config.Section("pipeline.topics")).Raw;
            var clientProperties = config.Section("akka.kafka.producer").GetFlatMap("kafka-clients");

            using var signal = new ShutdownSignal();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(signal.Token);
            if (duration is { } limit)
                stop.CancelAfter(limit);
            using var truth = parse.GetValue(TruthFile) is { } path ? GroundTruthWriter.ToFile(path) : null;
            var result = await ProduceAsync(settings, servers, topic, clientProperties, truth, stop.Token);
            Console.Out.WriteLine(
                $"generate: {result.Delivered} records ({result.Injected} injected) delivered to '{topic}' in {result.Elapsed.TotalSeconds:F1} s" +
                (result.Failed > 0 ? $"; {result.Failed} failed: {result.FirstError}" : ""));
            return result.Failed > 0 ? 1 : 0;
        });
        return command;
    }

    private sealed record Outcome(long Delivered, long Failed, long Injected, TimeSpan Elapsed, string? FirstError);

    private static async Task<Outcome> ProduceAsync(
        GeneratorSettings settings, string servers, string topic, IReadOnlyDictionary<string, string> clientProperties,
        GroundTruthWriter? truth, CancellationToken stop)
    {
        var producerConfig = new ProducerConfig(clientProperties.ToDictionary()) { BootstrapServers = servers };
        using var producer = new ProducerBuilder<string, byte[]>(producerConfig).Build();
        long delivered = 0, injected = 0, sent = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        using var records = TransactionGenerator.Create(settings).Records().GetEnumerator();

        while (!stop.IsCancellationRequested)
        {
            // Pacing: send what is due at the configured rate, then sleep a little; bursts stay a few ms long.
            var due = (long)(clock.Elapsed.TotalSeconds * settings.Rate) + 1;
            while (sent < due && !stop.IsCancellationRequested)
            {
                records.MoveNext();
                var record = records.Current;
                // The Kafka timestamp stays the send time: event time is in the JSON, and simulated
                // timestamps months in the past would make brokers delete the records by retention at once.
                var message = new Message<string, byte[]> { Key = record.Key, Value = record.Value };
                while (!TryProduce(producer, topic, message, report =>
                {
                    if (report.Error.IsError)
                        Interlocked.CompareExchange(ref firstError, report.Error.Reason, null);
                    else
                        Interlocked.Increment(ref delivered);
                }))
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
                truth?.Write(record);
                if (record.Behaviour is not null)
                    injected++;
                sent++;
            }
            try { await Task.Delay(5, stop); }
            catch (OperationCanceledException) { }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        var acknowledged = Interlocked.Read(ref delivered);
        return new Outcome(acknowledged, sent - acknowledged, injected, clock.Elapsed, firstError);
    }

    // False when the client's local queue is full: the caller polls for delivery reports and retries.
    private static bool TryProduce(IProducer<string, byte[]> producer, string topic, Message<string, byte[]> message,
        Action<DeliveryReport<string, byte[]>> onDelivery)
    {
        try
        {
            producer.Produce(topic, message, onDelivery);
            return true;
        }
        catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
        {
            return false;
        }
    }

    private static int? Positive(int? value, string option) => value is null or > 0
        ? value
        : throw new ConfigurationError($"{option} {value} must be a positive number.");

    private static TimeSpan? ParseDuration(string? text)
    {
        if (text is null)
            return null;
        try
        {
            var value = ConfigurationFactory.ParseString($"d = {text}").GetTimeSpan("d", allowInfinite: false);
            if (value > TimeSpan.Zero && char.IsDigit(text.Trim()[0]))
                return value;
        }
        catch (Exception) { }
        throw new ConfigurationError($"--duration '{text}' is not a duration; use for example 30s, 5m or 1h.");
    }
}
