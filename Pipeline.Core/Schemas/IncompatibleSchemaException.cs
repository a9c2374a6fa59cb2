namespace Pipeline.Core.Schemas;

/// <summary>
/// A producer's schema breaks the compatibility level of its subject; thrown at start, before anything is sent.
/// The message names the subject, the level and each incompatibility.
/// </summary>
public sealed class IncompatibleSchemaException(string subject, string level, string schemaName, IReadOnlyList<string> problems)
    : Exception(
        $"Schema {schemaName} is incompatible with subject '{subject}' under compatibility level {level}: {string.Join("; ", problems)}. " +
        $"Make the change compatible (e.g. give a new or removed field a default), or change the level with PUT /config/{subject} if breaking the existing data is intended.")
{
    /// <summary>The registry subject the schema was checked against.</summary>
    public string Subject { get; } = subject;

    /// <summary>The subject's compatibility level, e.g. BACKWARD.</summary>
    public string Level { get; } = level;

    /// <summary>The incompatibilities as reported by the registry.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
