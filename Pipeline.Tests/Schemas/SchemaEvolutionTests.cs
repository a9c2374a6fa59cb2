using System.Net;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Pipeline.Core.Schemas;
using Pipeline.Tests.Support;
using static Pipeline.Tests.Schemas.EvolvingSchemas;
using Schema = Avro.Schema;

namespace Pipeline.Tests.Schemas;

/// <summary>Schema evolution through the real serdes and client, decided by the embedded registry's compatibility levels.</summary>
public sealed class SchemaEvolutionTests
{
    private const string Topic = "payments";
    private const string Subject = "payments-value";

    private static async Task<byte[]> WriteAsync(TestSchemaRegistry registry, GenericRecord record) =>
        await new AvroSerializer<GenericRecord>(registry.Client, new AvroSerializerConfig { AutoRegisterSchemas = true })
            .SerializeAsync(record, new SerializationContext(MessageComponentType.Value, Topic));

    private static Task<int> RegisterAsync(TestSchemaRegistry registry, Schema schema, string subject = Subject) =>
        registry.Client.RegisterSchemaAsync(subject, new Confluent.SchemaRegistry.Schema(schema.ToString(), SchemaType.Avro));

    [Fact]
    public async Task Under_BACKWARD_a_field_with_a_default_is_accepted_and_a_v2_consumer_reads_v1_data_with_the_default()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        var v1Data = await WriteAsync(registry, Record(V1, ("id", "p-1"), ("amountMinor", 1299L)));

        var v2Data = await WriteAsync(registry, Record(V2WithDefault, ("id", "p-2"), ("amountMinor", 500L), ("channel", "online")));

        Assert.Equal([1, 2], await registry.Client.GetSubjectVersionsAsync(Subject));
        var v1ReadByV2 = await ReadAsAsync(registry.Client, v1Data, V2WithDefault);
        Assert.Equal("p-1", v1ReadByV2["id"]);
        Assert.Equal(1299L, v1ReadByV2["amountMinor"]);
        Assert.Equal("card", v1ReadByV2["channel"]);
        Assert.Equal("online", (await ReadAsAsync(registry.Client, v2Data, V2WithDefault))["channel"]);
    }

    [Fact]
    public async Task Under_FORWARD_a_v1_consumer_reads_v2_data_and_ignores_the_new_field()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        await registry.Client.UpdateCompatibilityAsync(Compatibility.Forward, Subject);
        await RegisterAsync(registry, V1);

        var v2Data = await WriteAsync(registry, Record(V2WithDefault, ("id", "p-2"), ("amountMinor", 500L), ("channel", "online")));

        var read = await ReadAsAsync(registry.Client, v2Data, V1);
        Assert.Equal("p-2", read["id"]);
        Assert.Equal(500L, read["amountMinor"]);
        Assert.False(read.TryGetValue("channel", out _));
    }

    [Fact]
    public async Task Under_BACKWARD_a_new_field_without_default_is_refused_with_409_and_the_serializer_never_writes_it()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        await RegisterAsync(registry, V1);

        var refused = await Assert.ThrowsAsync<SchemaRegistryException>(() => RegisterAsync(registry, V2Required));
        Assert.Equal(409, refused.ErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Contains("BACKWARD", refused.Message);
        Assert.Contains("field '/channel' is read but the writer has no such field and it has no default value", refused.Message);

        await Assert.ThrowsAsync<SchemaRegistryException>(() =>
            WriteAsync(registry, Record(V2Required, ("id", "p-2"), ("amountMinor", 500L), ("channel", "online"))));
        Assert.Equal([1], await registry.Client.GetSubjectVersionsAsync(Subject));
    }

    [Fact]
    public async Task Removing_a_field_without_default_passes_BACKWARD_but_is_refused_under_FORWARD()
    {
        // Avro semantics: a new reader ignores a field old data still has (backward compatible), but old readers
        // cannot fill a field the new data lacks when it has no default (not forward compatible).
        await using var registry = await TestSchemaRegistry.StartAsync();
        await RegisterAsync(registry, V1, "backward-value");
        await RegisterAsync(registry, V1, "forward-value");
        await registry.Client.UpdateCompatibilityAsync(Compatibility.Forward, "forward-value");

        await RegisterAsync(registry, V1WithoutAmount, "backward-value");
        var refused = await Assert.ThrowsAsync<SchemaRegistryException>(() => RegisterAsync(registry, V1WithoutAmount, "forward-value"));

        Assert.Equal(409, refused.ErrorCode);
        Assert.Contains("FORWARD", refused.Message);
        Assert.Contains("field '/amountMinor' is read but the writer has no such field", refused.Message);
    }

    [Fact]
    public async Task The_producer_preflight_fails_before_sending_naming_subject_level_and_incompatibility()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        await RegisterAsync(registry, V1);

        var error = await Assert.ThrowsAsync<IncompatibleSchemaException>(() =>
            SchemaContract.EnsureCompatibleAsync(registry.Client, registry.Settings, Topic, V2Required, isKey: false));

        Assert.Equal(Subject, error.Subject);
        Assert.Equal("BACKWARD", error.Level);
        Assert.Contains($"subject '{Subject}'", error.Message);
        Assert.Contains("compatibility level BACKWARD", error.Message);
        Assert.Contains("field '/channel' is read but the writer has no such field", error.Message);
        Assert.Equal([1], await registry.Client.GetSubjectVersionsAsync(Subject));
    }

    [Fact]
    public async Task The_producer_preflight_registers_a_compatible_schema_and_returns_its_id()
    {
        await using var registry = await TestSchemaRegistry.StartAsync();
        await RegisterAsync(registry, V1);

        var contract = await SchemaContract.EnsureCompatibleAsync(registry.Client, registry.Settings, Topic, V2WithDefault, isKey: false);

        Assert.Equal(Subject, contract.Subject);
        Assert.Equal(contract.SchemaId, (await registry.Client.GetLatestSchemaAsync(Subject)).Id);
    }

    [Fact]
    public async Task With_auto_register_off_the_preflight_refuses_an_unregistered_schema()
    {
        await using var registry = await TestSchemaRegistry.StartAsync(adjust: s => s with { AutoRegister = false });
        await RegisterAsync(registry, V1);

        var error = await Assert.ThrowsAsync<SchemaNotRegisteredException>(() =>
            SchemaContract.EnsureCompatibleAsync(registry.Client, registry.Settings, Topic, V2WithDefault, isKey: false));

        Assert.Contains(Subject, error.Message);
        Assert.Equal(V1.ToString(), (await registry.Client.GetLatestSchemaAsync(Subject)).SchemaString);
    }

    [Theory]
    [InlineData(Compatibility.Backward, true)]
    [InlineData(Compatibility.BackwardTransitive, false)]
    [InlineData(Compatibility.Full, true)]
    [InlineData(Compatibility.FullTransitive, false)]
    public async Task Transitive_levels_check_every_earlier_version_not_only_the_latest(Compatibility level, bool accepted)
    {
        // v3 makes the field v2 added required: v3 reads v2 data (the field is there) but not v1 data (it is not).
        await using var registry = await TestSchemaRegistry.StartAsync();
        await registry.Client.UpdateCompatibilityAsync(level, Subject);
        await RegisterAsync(registry, V1);
        await RegisterAsync(registry, V2WithDefault);

        if (accepted)
        {
            await RegisterAsync(registry, V2Required);
            Assert.Equal([1, 2, 3], await registry.Client.GetSubjectVersionsAsync(Subject));
            return;
        }
        var refused = await Assert.ThrowsAsync<SchemaRegistryException>(() => RegisterAsync(registry, V2Required));
        Assert.Equal(409, refused.ErrorCode);
        Assert.Contains("version 1", refused.Message);
        Assert.DoesNotContain("version 2", refused.Message);
    }
}
