using System.Net;
using Avro.Generic;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Pipeline.Contracts;
using Pipeline.Core.Schemas;
using Pipeline.Tests.Support;
using Schema = Avro.Schema;

namespace Pipeline.Tests.Schemas;

/// <summary>The real Confluent client and Avro serdes against the embedded registry over HTTP.</summary>
public sealed class SchemaRegistryClientTests
{
    private static readonly DateTime When = new(2026, 11, 24, 10, 15, 30, 123, DateTimeKind.Utc);

    public static TheoryData<ISpecificRecord> Contracts() => new()
    {
        new Transaction { transactionId = "t-1", customerId = "c-42", merchant = "Netflix", category = "subscription", amountMinor = 1299, tipMinor = 0, currency = "EUR", timestamp = When },
        new CustomerSettings { customerId = "c-42", largePurchaseThresholdMinor = 50_000, currency = "EUR", updatedAt = When },
        new Feedback { feedbackId = "f-1", useCase = "duplicate-charge", variant = "A", customerId = "c-42", transactionId = "t-1", message = "Twice?", timestamp = When },
        new Notification { notificationId = "f-1", customerId = "c-42", useCase = "duplicate-charge", variant = "B", transactionId = "t-1", message = "Twice?", timestamp = When },
    };

    [Theory]
    [MemberData(nameof(Contracts))]
    public async Task Each_contract_round_trips_through_the_serializer_and_is_registered_under_its_topic_subject(ISpecificRecord record)
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        var name = record.Schema.Name;
        var topic = $"topic-{name}";

        byte[] bytes = record switch
        {
            Transaction t => await RoundTripAsync(t, registry, topic),
            CustomerSettings c => await RoundTripAsync(c, registry, topic),
            Feedback f => await RoundTripAsync(f, registry, topic),
            Notification n => await RoundTripAsync(n, registry, topic),
            _ => throw new ArgumentException(name)
        };

        Assert.Equal(0, bytes[0]);
        var id = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4));
        var registered = await registry.Client.GetLatestSchemaAsync($"{topic}-value");
        Assert.Equal(id, registered.Id);
        Assert.Equal(1, registered.Version);
        var byId = await registry.Client.GetSchemaAsync(id);
        Assert.Equal(Schema.Parse(byId.SchemaString), record.Schema);
    }

    private static async Task<byte[]> RoundTripAsync<T>(T record, TestSchemaRegistry registry, string topic) where T : ISpecificRecord
    {
        var context = new SerializationContext(MessageComponentType.Value, topic);
        var bytes = await AvroSerdes.Serializer<T>(registry.Client, registry.Settings).SerializeAsync(record, context);
        var back = await new AvroDeserializer<T>(registry.Client).DeserializeAsync(bytes, isNull: false, context);
        var fields = ((Avro.RecordSchema)record.Schema).Count;
        for (var i = 0; i < fields; i++)
            Assert.Equal(record.Get(i), back.Get(i));
        return bytes;
    }

    [Fact]
    public async Task The_same_schema_keeps_its_id_when_registered_twice_and_under_another_subject()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        var schema = new Confluent.SchemaRegistry.Schema(Transaction._SCHEMA.ToString(), SchemaType.Avro);

        var first = await registry.Client.RegisterSchemaAsync("a-value", schema);
        var again = await registry.Client.RegisterSchemaAsync("a-value", schema);
        var otherSubject = await registry.Client.RegisterSchemaAsync("b-value", schema);
        var other = await registry.Client.RegisterSchemaAsync("c-value", new Confluent.SchemaRegistry.Schema(Feedback._SCHEMA.ToString(), SchemaType.Avro));

        Assert.Equal(first, again);
        Assert.Equal(first, otherSubject);
        Assert.NotEqual(first, other);
        Assert.Equal([1], await registry.Client.GetSubjectVersionsAsync("a-value"));
    }

    [Fact]
    public async Task A_restarted_registry_on_the_same_file_keeps_ids_subjects_and_levels()
    {
        var first = await TestSchemaRegistry.StartAsync();
        var transactionId = await first.Client.RegisterSchemaAsync("t-value", new Confluent.SchemaRegistry.Schema(Transaction._SCHEMA.ToString(), SchemaType.Avro));
        var feedbackId = await first.Client.RegisterSchemaAsync("f-value", new Confluent.SchemaRegistry.Schema(Feedback._SCHEMA.ToString(), SchemaType.Avro));
        await first.Client.UpdateCompatibilityAsync(Compatibility.Full, "f-value");
        await first.StopKeepingStoreAsync();

        try
        {
            await using var second = await TestSchemaRegistry.StartAsync(first.Directory);
            Assert.NotEqual(first.Registry.Url, second.Registry.Url); // a new process-level listener, same store

            Assert.Equal(Transaction._SCHEMA, Schema.Parse((await second.Client.GetSchemaAsync(transactionId)).SchemaString));
            Assert.Equal(feedbackId, (await second.Client.GetLatestSchemaAsync("f-value")).Id);
            Assert.Equal(transactionId, await second.Client.RegisterSchemaAsync("t-value", new Confluent.SchemaRegistry.Schema(Transaction._SCHEMA.ToString(), SchemaType.Avro)));
            Assert.Equal(["f-value", "t-value"], (await second.Client.GetAllSubjectsAsync()).Order());
            Assert.Equal(Compatibility.Full, await second.Client.GetCompatibilityAsync("f-value"));
            var fresh = await second.Client.RegisterSchemaAsync("n-value", new Confluent.SchemaRegistry.Schema(Notification._SCHEMA.ToString(), SchemaType.Avro));
            Assert.True(fresh > Math.Max(transactionId, feedbackId), "ids continue after the ones stored before the restart");
        }
        finally
        {
            Directory.Delete(first.Directory, recursive: true);
        }
    }

    [Fact]
    public async Task Unknown_subject_version_and_schema_id_answer_Confluent_error_codes()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        await registry.Client.RegisterSchemaAsync("known-value", new Confluent.SchemaRegistry.Schema(Transaction._SCHEMA.ToString(), SchemaType.Avro));

        var subject = await Assert.ThrowsAsync<SchemaRegistryException>(() => registry.Client.GetLatestSchemaAsync("missing-value"));
        Assert.Equal(40401, subject.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, subject.Status);
        var version = await Assert.ThrowsAsync<SchemaRegistryException>(() => registry.Client.GetRegisteredSchemaAsync("known-value", 7, false));
        Assert.Equal(40402, version.ErrorCode);
        var id = await Assert.ThrowsAsync<SchemaRegistryException>(() => registry.Client.GetSchemaAsync(9999));
        Assert.Equal(40403, id.ErrorCode);
        var invalid = await Assert.ThrowsAsync<SchemaRegistryException>(() =>
            registry.Client.RegisterSchemaAsync("bad-value", new Confluent.SchemaRegistry.Schema("{\"type\":\"record\",\"name\":\"X\"}", SchemaType.Avro)));
        Assert.Equal(42201, invalid.ErrorCode);
        Assert.Equal((HttpStatusCode)422, invalid.Status);
    }

    [Fact]
    public async Task A_real_producer_and_consumer_carry_a_transaction_through_the_embedded_Kafka()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        using var kafka = Core.DevelopmentInfrastructure.Kafka.EmbeddedKafka.Start();
        const string topic = "transactions-avro";
        kafka.CreateTopic(topic, 1);
        var sent = new Transaction { transactionId = "t-9", customerId = "c-7", merchant = "Shell", category = "fuel", amountMinor = 6_050, tipMinor = 0, currency = "EUR", timestamp = When };

        await SchemaContract.EnsureCompatibleAsync<Transaction>(registry.Client, registry.Settings, topic);
        using (var producer = new ProducerBuilder<string, Transaction>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers })
                   .SetValueSerializer(AvroSerdes.Serializer<Transaction>(registry.Client, registry.Settings)).Build())
        {
            await producer.ProduceAsync(topic, new Message<string, Transaction> { Key = sent.customerId, Value = sent });
        }

        using var consumer = new ConsumerBuilder<string, Transaction>(new ConsumerConfig
            {
                BootstrapServers = kafka.BootstrapServers, GroupId = "avro-test", AutoOffsetReset = AutoOffsetReset.Earliest, FetchWaitMaxMs = 10
            })
            .SetValueDeserializer(new AvroDeserializer<Transaction>(registry.Client).AsSyncOverAsync()).Build();
        consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var received = consumer.Consume(TimeSpan.FromSeconds(10));

        Assert.NotNull(received);
        Assert.Equal("c-7", received.Message.Key);
        Assert.Equal(sent.transactionId, received.Message.Value.transactionId);
        Assert.Equal(sent.amountMinor, received.Message.Value.amountMinor);
        Assert.Equal(sent.timestamp, received.Message.Value.timestamp);
    }
}
