using System.Collections.Concurrent;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.SchemaRegistry;
using Pipeline.Core.Kafka;
using Pipeline.Core.Kafka.Dsl;
using Pipeline.Core.Kafka.Settings;
using Pipeline.Core.Schemas;
using Pipeline.Core.UseCases;
using Contract = Pipeline.Contracts.CustomerSettings;

namespace Pipeline.Core.UseCaseRuntime;

/// <summary>
/// The latest settings of every customer, read from the compacted customer-settings topic from its beginning and
/// kept up to date while the node runs (a table, like a Kafka Streams GlobalKTable): every node reads every partition,
/// under a group of its own, and commits nothing. A tombstone (null value) forgets the customer. A value that cannot
/// be decoded leaves the customer's previous settings in place and is counted as a dead letter of the stage
/// <c>customer-settings</c> (it stays on its compacted topic, so nothing is lost).
/// </summary>
public sealed class CustomerSettingsTable
{
    private readonly ConcurrentDictionary<string, CustomerSettings> _byCustomer = new();

    /// <summary>The stage name of undecodable settings in <c>pipeline_dead_letters_total</c>.</summary>
    public const string StageName = "customer-settings";

    private CustomerSettingsTable() { }

    /// <summary>Customers with settings of their own.</summary>
    public int Count => _byCustomer.Count;

    /// <summary>The customer's settings, or <see cref="CustomerSettings.None"/> when they have none.</summary>
    public CustomerSettings Get(string customerId) => _byCustomer.GetValueOrDefault(customerId) ?? CustomerSettings.None(customerId);

    /// <summary>Starts following <paramref name="topic"/>; the table fills as records arrive.</summary>
    public static (CustomerSettingsTable Table, ConsumerControl Control) Follow(
        string topic, ConsumerSettings consumer, ISchemaRegistryClient registry, IMaterializer materializer)
    {
        var table = new CustomerSettingsTable();
        var deserializer = AvroSerdes.Deserializer<Contract>(registry);
        var settings = consumer
            .WithGroupId($"pipeline-customer-settings-{Guid.NewGuid():N}")
            .WithProperty("enable.auto.commit", "false");
        var control = KafkaSource.PlainSource<string?, byte[]?>(settings, Subscription.ForTopics(topic).WithStart(StartPosition.Beginning))
            .SelectAsync(1, async record =>
            {
                if (record.Message.Key is not { } key)
                    return Done.Instance;
                if (record.Message.Value is null)
                {
                    table._byCustomer.TryRemove(key, out _);
                    return Done.Instance;
                }
                try
                {
                    var value = await deserializer.DeserializeAsync(record.Message.Value, false,
                        new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, topic)).ConfigureAwait(false);
                    table._byCustomer[key] = new CustomerSettings(key, value.largePurchaseThresholdMinor);
                }
                catch (Exception e) when (e is Avro.AvroException or InvalidDataException or Confluent.SchemaRegistry.SchemaRegistryException)
                {
                    Upstream.DeadLetterMetrics.Default.Count(StageName, Upstream.RejectionReason.InvalidAvro);
                }
                return Done.Instance;
            })
            .ToMaterialized(Sink.Ignore<Done>(), Keep.Left)
            .Run(materializer);
        return (table, control);
    }
}
