using System.CommandLine;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry.Serdes;
using Pipeline.Core.Configuration;
using Pipeline.Core.Replay;
using Pipeline.Core.Schemas;
using Pipeline.Service.Printing;
using Pipeline.Service.Run;

namespace Pipeline.Service.Commands;

/// <summary><c>pipeline print</c>: a topic's latest records as JSON lines, Avro decoded through the schema registry.</summary>
internal static class PrintCommand
{
    private static readonly Option<string> Topic = new("--topic") { Description = "The topic to print, e.g. notifications, feedback or dead-letters.", Required = true };
    private static readonly Option<int> Last = new("--last") { Description = "How many of the newest records of each partition to print.", DefaultValueFactory = _ => 20 };

    public static Command Create()
    {
        var command = new Command("print", "Print a topic's newest records as JSON lines (Avro values decoded through the schema registry, headers as text), then exit.");
        command.Options.Add(Topic);
        command.Options.Add(Last);
        CommonOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var settings = RunSettings.Create(CommonOptions.Load(parse)).RequireExternalInfrastructure("print");
            var last = parse.GetValue(Last);
            if (last < 1)
                throw new ConfigurationError($"--last {last} must be at least 1.");
            var topic = parse.GetValue(Topic)!;
            var consumer = settings.UseCaseStreams.Consumer.WithGroupId($"pipeline-print-{Guid.NewGuid():N}");
            var timeout = ReplaySettings.Create(CommonOptions.Load(parse)).MetadataTimeout;
            IReadOnlyList<PartitionEnd> ends;
            try
            {
                ends = TopicEnds.Read(consumer, topic, timeout);
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"print: {e.Message}");
                return 1;
            }
            using var registry = SchemaRegistryClients.Create(settings.UseCaseStreams.SchemaRegistry);
            var avro = new AvroDeserializer<GenericRecord>(registry);
            var config = consumer.ToConsumerConfig();
            config.EnableAutoCommit = false;
            using var client = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
            foreach (var end in ends.Where(e => e.High > e.Low))
            {
                client.Assign(new TopicPartitionOffset(end.Partition, Math.Max(end.Low, end.High - last)));
                while (client.Consume(timeout) is { } result)
                {
                    Console.Out.WriteLine(RecordJson.Write(result, Decode(avro, result)));
                    if (result.Offset.Value >= end.High - 1)
                        break;
                }
            }
            client.Close();
            return 0;
        });
        return command;
    }

    // Confluent's wire format: a zero byte, the schema id, the Avro body. Anything else (raw JSON in dead letters) is shown as it is.
    private static GenericRecord? Decode(AvroDeserializer<GenericRecord> avro, ConsumeResult<byte[]?, byte[]?> result)
    {
        if (result.Message.Value is not { Length: > 5 } value || value[0] != 0)
            return null;
        try
        {
            return avro.DeserializeAsync(value, false, new SerializationContext(MessageComponentType.Value, result.Topic, result.Message.Headers)).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidDataException or Avro.AvroException or Confluent.SchemaRegistry.SchemaRegistryException)
        {
            return null;
        }
    }
}
