using Avro;
using Pipeline.Core.Schemas;
using Schema = Avro.Schema;

namespace Pipeline.Core.DevelopmentInfrastructure.SchemaRegistry;

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
                problems.Add($"the new schema cannot read data written with version {earlier.Version} (id {earlier.Id}): {SchemaResolution.Explain(writer: earlier.Schema, reader: candidate)}");
            if (level.ChecksForward() && !earlier.Schema.CanRead(candidate))
                problems.Add($"version {earlier.Version} (id {earlier.Id}) cannot read data written with the new schema: {SchemaResolution.Explain(writer: candidate, reader: earlier.Schema)}");
        }
        return problems;
    }
}
