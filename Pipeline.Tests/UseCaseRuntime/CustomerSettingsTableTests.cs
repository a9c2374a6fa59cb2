using Akka.Streams;
using System.Text;
using Confluent.Kafka;
using Pipeline.Core.DeadLetters;
using Pipeline.Core.Schemas;
using Pipeline.Core.UseCaseRuntime;
using Pipeline.Tests.Support;
using Xunit.Abstractions;
using Contract = Pipeline.Contracts.CustomerSettings;

namespace Pipeline.Tests.UseCaseRuntime;

/// <summary>The customer-settings table on the embedded Kafka and a real registry, decoding as the live stages do.</summary>
[Collection(EmbeddedKafkaFixture.Collection)]
public sealed class CustomerSettingsTableTests(EmbeddedKafkaFixture fixture, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly DateTime When = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task An_undecodable_value_keeps_the_customers_settings_and_is_counted_under_the_live_stages_reason()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        var topic = fixture.CreateTopic("customer-settings", 1);
        var serializer = AvroSerdes.Serializer<Contract>(registry.Client, registry.Settings);
        async Task<byte[]> Settings(string customer, long threshold) => await serializer.SerializeAsync(
            new Contract { customerId = customer, largePurchaseThresholdMinor = threshold, currency = "EUR", updatedAt = When },
            new SerializationContext(MessageComponentType.Value, topic));
        Message<byte[]?, byte[]?> Keyed(string customer, byte[] value) => new() { Key = Encoding.UTF8.GetBytes(customer), Value = value };
        var before = DeadLetterMetrics.Default.Value(CustomerSettingsTable.StageName, RejectionReason.NotWireFormat);
        await BinaryTopic.ProduceAsync(fixture.BootstrapServers, topic, [
            Keyed("c-1", await Settings("c-1", 50_000)),
            Keyed("c-1", Encoding.UTF8.GetBytes("""{"largePurchaseThresholdMinor":1}""")),
            Keyed("c-2", await Settings("c-2", 20_000))
        ]);

        var (table, control) = CustomerSettingsTable.Follow(topic, KafkaTestSettings.Consumer(fixture.BootstrapServers, "unused"), registry.Client, Sys.Materializer());
        try
        {
            await AwaitConditionAsync(() => Task.FromResult(table.Count == 2), TimeSpan.FromSeconds(30));

            Assert.Equal(50_000L, table.Get("c-1").LargePurchaseThresholdMinor);
            Assert.Equal(20_000L, table.Get("c-2").LargePurchaseThresholdMinor);
            Assert.Equal(before + 1, DeadLetterMetrics.Default.Value(CustomerSettingsTable.StageName, RejectionReason.NotWireFormat));
        }
        finally
        {
            await control.Shutdown();
        }
    }
}
