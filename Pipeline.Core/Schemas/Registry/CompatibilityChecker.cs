using Avro;
using Schema = Avro.Schema;

namespace Pipeline.Core.Schemas.Registry;

/// <summary>
/// Decides whether a new schema may be added to a subject, with Apache.Avro's own schema resolution:
/// <see cref="Schema.CanRead"/> decides, and Avro's resolving reader explains a refusal.
/// </summary>
public static class CompatibilityChecker
{
    /// <summary>
    /// The incompatibilities of <paramref name="candidate"/> with <paramref name="earlierVersions"/> (oldest first)
    /// under <paramref name="level"/>; empty when it is compatible. Non-transitive levels look at the latest version only.
    /// </summary>
    public static IReadOnlyList<string> Check(Schema candidate, IReadOnlyList<SchemaVersion> earlierVersions, CompatibilityLevel level)
    {
        if (level == CompatibilityLevel.None || earlierVersions.Count == 0)
            return [];
        var checkedVersions = level.IsTransitive() ? earlierVersions : [earlierVersions[^1]];
        var problems = new List<string>();
        foreach (var earlier in checkedVersions)
        {
            if (level.ChecksBackward() && !candidate.CanRead(earlier.Schema))
                problems.Add($"the new schema cannot read data written with version {earlier.Version} (id {earlier.Id}): {Explain(writer: earlier.Schema, reader: candidate)}");
            if (level.ChecksForward() && !earlier.Schema.CanRead(candidate))
                problems.Add($"version {earlier.Version} (id {earlier.Id}) cannot read data written with the new schema: {Explain(writer: candidate, reader: earlier.Schema)}");
        }
        return problems;
    }

    // The decision above is Avro's own (Schema.CanRead); this only names the first field where Avro's resolution
    // breaks, by asking CanRead field by field, because Avro's exception text just prints both schemas.
    private static string Explain(Schema writer, Schema reader, string path = "")
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
