using Avro.Generic;
using Avro.IO;
using Confluent.SchemaRegistry;
using Schema = Avro.Schema;

namespace Pipeline.Tests.Schemas;

/// <summary>Versions of a small test record, and a reader that resolves wire-format bytes to a chosen reader schema.</summary>
internal static class EvolvingSchemas
{
    /// <summary>A record with an id and an amount.</summary>
    public static readonly Schema V1 = Schema.Parse("""
        {"type":"record","name":"Payment","namespace":"Pipeline.Tests.Evolution","fields":[
          {"name":"id","type":"string"},
          {"name":"amountMinor","type":"long"}]}
        """);

    /// <summary>V1 plus a field with a default: backward and forward compatible with V1.</summary>
    public static readonly Schema V2WithDefault = Schema.Parse("""
        {"type":"record","name":"Payment","namespace":"Pipeline.Tests.Evolution","fields":[
          {"name":"id","type":"string"},
          {"name":"amountMinor","type":"long"},
          {"name":"channel","type":"string","default":"card"}]}
        """);

    /// <summary>V1 plus a field without a default: it cannot read V1 data (not backward compatible).</summary>
    public static readonly Schema V2Required = Schema.Parse("""
        {"type":"record","name":"Payment","namespace":"Pipeline.Tests.Evolution","fields":[
          {"name":"id","type":"string"},
          {"name":"amountMinor","type":"long"},
          {"name":"channel","type":"string"}]}
        """);

    /// <summary>V1 without amountMinor: V1 readers cannot read its data (not forward compatible).</summary>
    public static readonly Schema V1WithoutAmount = Schema.Parse("""
        {"type":"record","name":"Payment","namespace":"Pipeline.Tests.Evolution","fields":[
          {"name":"id","type":"string"}]}
        """);

    public static GenericRecord Record(Schema schema, params (string Field, object Value)[] values)
    {
        var record = new GenericRecord((Avro.RecordSchema)schema);
        foreach (var (field, value) in values)
            record.Add(field, value);
        return record;
    }

    /// <summary>
    /// Reads Confluent wire-format bytes the way a consumer built on <paramref name="reader"/> does: the writer schema
    /// comes from the registry by the id in the bytes, and Avro resolves it to the reader schema.
    /// </summary>
    public static async Task<GenericRecord> ReadAsAsync(ISchemaRegistryClient client, byte[] wire, Schema reader)
    {
        Assert.Equal(0, wire[0]);
        var id = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(wire.AsSpan(1, 4));
        var writer = Schema.Parse((await client.GetSchemaAsync(id)).SchemaString);
        var datumReader = new GenericDatumReader<GenericRecord>(writer, reader);
        return datumReader.Read(null!, new BinaryDecoder(new MemoryStream(wire, 5, wire.Length - 5)));
    }
}
