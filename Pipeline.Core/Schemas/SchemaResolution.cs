using Avro;
using Schema = Avro.Schema;

namespace Pipeline.Core.Schemas;

/// <summary>Explains Avro schema resolution failures in terms a person can act on.</summary>
public static class SchemaResolution
{
    /// <summary>
    /// Why <paramref name="reader"/> cannot read data written with <paramref name="writer"/>, naming the first field
    /// where resolution breaks. Call it only when <see cref="Schema.CanRead"/> said no: the decision stays Avro's, this
    /// asks CanRead field by field because Avro's own exception text just prints both schemas.
    /// </summary>
    public static string Explain(Schema writer, Schema reader) => Explain(writer, reader, "");

    private static string Explain(Schema writer, Schema reader, string path)
    {
        if (reader is RecordSchema readerRecord && writer is RecordSchema writerRecord && readerRecord.SchemaName.Equals(writerRecord.SchemaName))
        {
            foreach (var field in readerRecord.Fields)
            {
                var fieldPath = path + "/" + field.Name;
                var writerField = writerRecord.Fields.FirstOrDefault(w => w.Name == field.Name || (field.Aliases?.Contains(w.Name) ?? false));
                if (writerField is null)
                {
                    if (field.DefaultValue is null)
                        return $"field '{fieldPath}' is read but the writer has no such field and it has no default value";
                    continue;
                }
                if (!field.Schema.CanRead(writerField.Schema))
                    return Explain(writerField.Schema, field.Schema, fieldPath);
            }
        }
        var at = path.Length == 0 ? "" : $"field '{path}': ";
        return reader.Fullname == writer.Fullname || reader is not NamedSchema
            ? $"{at}type {Describe(reader)} cannot read type {Describe(writer)}"
            : $"{at}record {reader.Fullname} cannot read a different record, {writer.Fullname}";
    }

    private static string Describe(Schema schema) => schema is NamedSchema named ? named.Fullname : schema.ToString();
}
