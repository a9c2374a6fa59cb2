using System.Collections.Concurrent;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.SchemaRegistry;
using Pipeline.Core.DeadLetters;
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
/// <c>customer-settings</c> under the reason the live stages give it (it stays on its compacted topic, so nothing is lost).
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
        var decoder = new AvroValueDecoder<Contract>(registry);
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
                ParseResult<Contract> decoded;
                try
                {
                    decoded = await decoder.DecodeAsync(record.Message.Value).ConfigureAwait(false);
                }
                // The table's stream is not restarted, so a registry error or a registered schema Avro cannot parse is
                // counted and skipped like an undecodable value rather than ending the table's updates for the node's life.
                catch (Exception e) when (e is Avro.AvroException or SchemaRegistryException)
                {
                    decoded = new Rejection(RejectionReason.InvalidAvro, e.Message);
                }
                if (decoded.Value is { } value)
                    table._byCustomer[key] = new CustomerSettings(key, value.largePurchaseThresholdMinor);
                else
                    DeadLetterMetrics.Default.Count(StageName, decoded.Rejection!.Reason);
                return Done.Instance;
            })
            .ToMaterialized(Sink.Ignore<Done>(), Keep.Left)
            .Run(materializer);
        return (table, control);
    }
}
