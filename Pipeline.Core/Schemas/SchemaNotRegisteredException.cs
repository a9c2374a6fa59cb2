namespace Pipeline.Core.Schemas;

/// <summary>Auto-registration is off and the producer's schema is not registered under its subject.</summary>
public sealed class SchemaNotRegisteredException(string subject, string schemaName)
    : Exception(
        $"Schema {schemaName} is not registered under subject '{subject}' and pipeline.schema-registry.auto-register is off. " +
        $"Register it (POST /subjects/{subject}/versions) or turn auto-register on.")
{
    /// <summary>The registry subject that lacks the schema.</summary>
    public string Subject { get; } = subject;
}
